// Inflating a gzip member in tests (link ZLIB::ZLIB).
#ifndef BAOGAO_TESTS_COMMON_GUNZIP_H_
#define BAOGAO_TESTS_COMMON_GUNZIP_H_

#include <zlib.h>

#include <string>

namespace baogao::testing {

// The bytes of one whole gzip member, inflated by zlib (which checks the
// CRC-32 and the length in the trailer), or "error: ..." (never a page).
inline std::string Gunzip(const std::string& in) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return "error: init";
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  char buf[16384];
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
  }
  const bool whole = rc == Z_STREAM_END && z.avail_in == 0;
  inflateEnd(&z);
  if (!whole) return "error: zlib " + std::to_string(rc);
  return out;
}

}  // namespace baogao::testing

#endif  // BAOGAO_TESTS_COMMON_GUNZIP_H_

#include "web/slot_gzip.h"

#include <zlib.h>

#include <algorithm>

namespace baogao::web {

namespace {

// `text` as raw deflate (no header), ended by a sync flush: byte-aligned,
// no final block, so another stream's blocks may follow it.
std::optional<std::string> DeflatePiece(std::string_view text) {
  z_stream z{};
  if (deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return std::nullopt;
  std::string out;
  // deflateBound covers Z_FINISH; a sync flush adds at most its 5-byte
  // empty stored block on top.
  out.resize(deflateBound(&z, text.size()) + 16);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_SYNC_FLUSH);
  const bool ok = rc == Z_OK && z.avail_in == 0 && z.avail_out > 0;
  out.resize(z.total_out);
  deflateEnd(&z);
  if (!ok) return std::nullopt;
  return out;
}

void AppendLe32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// `data` as stored (uncompressed) non-final blocks of at most 65,535 bytes.
void AppendStored(std::string& out, std::string_view data) {
  while (!data.empty()) {
    const size_t n = std::min<size_t>(data.size(), 65535);
    out.push_back('\0');  // BFINAL 0, BTYPE 00, padding to the byte
    out.push_back(static_cast<char>(n & 0xFF));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(~n & 0xFF));
    out.push_back(static_cast<char>((~n >> 8) & 0xFF));
    out.append(data.substr(0, n));
    data.remove_prefix(n);
  }
}

}  // namespace

std::string FillSlots(std::string_view page, const std::string_view (&values)[128]) {
  std::string out;
  out.reserve(page.size() + 512);
  ForEachSlot(
      page, [&](std::string_view text) { out.append(text); },
      [&](char letter) { out.append(values[static_cast<unsigned char>(letter)]); });
  return out;
}

std::optional<SlotGzip> SlotGzip::Make(std::string_view page) {
  SlotGzip g;
  bool failed = false;
  ForEachSlot(
      page,
      [&](std::string_view text) {
        auto deflated = DeflatePiece(text);
        if (!deflated) {
          failed = true;
          return;
        }
        Piece p;
        p.deflated = std::move(*deflated);
        p.crc = static_cast<uint32_t>(
            crc32(0, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size())));
        p.length = text.size();
        p.shift = static_cast<uint32_t>(crc32_combine_gen(static_cast<z_off_t>(text.size())));
        g.fixed_bytes_ += p.length;
        g.compressed_bytes_ += p.deflated.size();
        g.pieces_.push_back(std::move(p));
      },
      [&](char letter) {
        Piece p;
        p.slot = letter;
        g.pieces_.push_back(std::move(p));
      });
  if (failed) return std::nullopt;
  return g;
}

std::string SlotGzip::Fill(const std::string_view (&values)[128]) const {
  size_t size = 10 + compressed_bytes_ + 2 + 8;
  for (const Piece& p : pieces_) {
    if (p.slot != 0) size += values[static_cast<unsigned char>(p.slot)].size() + 10;
  }
  std::string out;
  out.reserve(size);
  // Header: magic, deflate, no flags, no mtime, no extra flags, OS unknown.
  static constexpr char kHeader[10] = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 0, '\xff'};
  out.append(kHeader, sizeof kHeader);
  uLong crc = crc32(0, nullptr, 0);
  uint64_t length = 0;
  for (const Piece& p : pieces_) {
    if (p.slot == 0) {
      out.append(p.deflated);
      crc = crc32_combine_op(crc, p.crc, p.shift);
      length += p.length;
    } else {
      const std::string_view v = values[static_cast<unsigned char>(p.slot)];
      if (v.empty()) continue;  // (crc32 with a null buffer would restart the CRC)
      AppendStored(out, v);
      crc = crc32(crc, reinterpret_cast<const Bytef*>(v.data()), static_cast<uInt>(v.size()));
      length += v.size();
    }
  }
  // An empty final block with fixed codes: BFINAL 1, BTYPE 01, end-of-block.
  out.push_back('\x03');
  out.push_back('\x00');
  AppendLe32(out, static_cast<uint32_t>(crc));
  AppendLe32(out, static_cast<uint32_t>(length & 0xFFFFFFFFu));
  return out;
}

}  // namespace baogao::web

// libFuzzer target for the store's body codec (store/internal/body_codec.h):
// a body read back from a database file is outside input. Checks: decoding
// any bytes never crashes and fails with a message; what decodes
// re-encodes and decodes to the same paragraphs; and any bytes, as
// paragraph text, survive encoding exactly.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "report/report.h"
#include "store/internal/body_codec.h"

namespace {

using baogao::report::Paragraph;
using baogao::store::internal::DecodeBody;
using baogao::store::internal::EncodeBody;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<Paragraph> body;
  const auto st = DecodeBody(in, &body);
  if (st.ok()) {
    std::string again;
    EncodeBody(body, &again);
    std::vector<Paragraph> back;
    if (!DecodeBody(again, &back).ok() || body != back) std::abort();
  } else if (st.message().empty()) {
    std::abort();
  }
  // The input as text: split at '\n' into paragraphs of level 0.
  std::vector<Paragraph> paras;
  size_t start = 0;
  while (start <= in.size()) {
    const size_t nl = in.find('\n', start);
    const size_t end = nl == std::string_view::npos ? in.size() : nl;
    Paragraph p;
    p.text = std::string(in.substr(start, end - start));
    paras.push_back(std::move(p));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  std::string json;
  EncodeBody(paras, &json);
  std::vector<Paragraph> decoded;
  if (!DecodeBody(json, &decoded).ok() || paras != decoded) std::abort();
  return 0;
}

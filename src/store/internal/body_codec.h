// How the SQLite store keeps a report's body: one JSON text per report,
//
//   [[level,"text"],[level,"text"],...]      -- paragraphs in order, no spaces
//
// so that SQLite's own json_each() can show it as rows (the `paragraphs`
// view, docs/store.md) and a report is one row to write instead of ~140.
//
// Paragraph text is bytes ("UTF-8 expected; bytes are kept as given"), and
// the encoding is exact for every byte string:
// - valid UTF-8 other than '"', '\' and C0 controls is copied as it is;
// - '"' and '\' become \" and \\; \b \f \n \r \t are used for those
//   controls, \u00XX for the other C0 controls (NUL is \u0000);
// - each byte that is not part of a well-formed UTF-8 sequence (bytes
//   0x80..0xFF only) becomes \uDCXX, XX its value: the "surrogateescape"
//   of Python. A lone low surrogate never stands for a character in
//   UTF-8 text, so nothing else encodes to it.
// The result is JSON (RFC 8259; \uDCXX is a well-formed escape, though not
// a character) whatever the input.
//
// DecodeBody reads that form back, and any JSON of the same shape (spaces
// between tokens, \/, escaped non-ASCII, surrogate pairs), as SQLite's
// json_group_array would write it.
#ifndef BAOGAO_STORE_INTERNAL_BODY_CODEC_H_
#define BAOGAO_STORE_INTERNAL_BODY_CODEC_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "report/report.h"

namespace baogao::store::internal {

// Appends the JSON form of `body` to `*out`. Levels are written as decimal
// integers whatever their value (the store validates them before).
void EncodeBody(const std::vector<report::Paragraph>& body, std::string* out);

// Parses a JSON body into `*body` (replacing its contents). Errors:
// kCorrupt naming the byte offset and what was expected there; a level that
// is not an integer in 0..report::kMaxHeadingLevel is an error too.
Status DecodeBody(std::string_view json, std::vector<report::Paragraph>* body);

}  // namespace baogao::store::internal

#endif  // BAOGAO_STORE_INTERNAL_BODY_CODEC_H_

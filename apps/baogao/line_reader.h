// Reads lines from a FILE* the way Python 3 does for `python3 -m jieba`:
//  - kUniversal (a file opened with open(path, 'r')): "\n", "\r\n" and a lone
//    "\r" each end a line, and the terminator is dropped.
//  - kNewlineOnly (sys.stdin on POSIX): only "\n" ends a line; then every
//    trailing '\r' and '\n' is stripped, as ln.rstrip('\r\n') does.
// Lines longer than max_line bytes are an error, not an unbounded allocation.
#ifndef BAOGAO_APPS_BAOGAO_LINE_READER_H_
#define BAOGAO_APPS_BAOGAO_LINE_READER_H_

#include <cstdio>
#include <string>

#include "base/status.h"

namespace baogao::cli {

class LineReader {
 public:
  enum class Newlines { kUniversal, kNewlineOnly };

  LineReader(std::FILE* f, Newlines mode, size_t max_line)
      : f_(f), mode_(mode), max_line_(max_line) {}

  // Sets *line to the next line. Returns false at end of input (with *status
  // OK) or on error (with *status set).
  bool Next(std::string* line, Status* status);

  // Byte offset of the start of the line last returned.
  size_t line_offset() const { return line_offset_; }

 private:
  bool Fill();  // appends more input to buf_; false at EOF or error

  std::FILE* f_;
  Newlines mode_;
  size_t max_line_;
  std::string buf_;
  size_t pos_ = 0;       // start of unread data in buf_
  size_t consumed_ = 0;  // bytes of input before buf_[0]
  size_t line_offset_ = 0;
  bool eof_ = false;
  bool error_ = false;
};

}  // namespace baogao::cli

#endif  // BAOGAO_APPS_BAOGAO_LINE_READER_H_

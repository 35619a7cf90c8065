#include "line_reader.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace baogao::cli {

bool LineReader::Fill() {
  if (eof_ || error_) return false;
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    consumed_ += pos_;
    pos_ = 0;
  }
  constexpr size_t kChunk = 1 << 20;
  const size_t old = buf_.size();
  buf_.resize(old + kChunk);
  const size_t n = std::fread(buf_.data() + old, 1, kChunk, f_);
  buf_.resize(old + n);
  if (n == 0) {
    if (std::ferror(f_)) {
      error_ = true;
    } else {
      eof_ = true;
    }
    return false;
  }
  return true;
}

bool LineReader::Next(std::string* line, Status* status) {
  *status = Status::Ok();
  auto strip = [&]() {
    if (mode_ != Newlines::kNewlineOnly) return;
    while (!line->empty() && (line->back() == '\r' || line->back() == '\n')) line->pop_back();
  };
  size_t scan_rel = 0;  // where to resume scanning, relative to pos_
  while (true) {
    const size_t n = buf_.size();
    size_t i = pos_ + scan_rel;
    for (; i < n; ++i) {
      const char c = buf_[i];
      if (c == '\n' || (c == '\r' && mode_ == Newlines::kUniversal)) break;
    }
    if (i < n) {
      if (buf_[i] == '\r' && i + 1 == n) {
        // "\r\n" is one terminator: read on to see the next byte.
        const size_t rel = i - pos_;
        if (Fill()) {
          scan_rel = rel;
          continue;
        }
        if (error_) break;
      }
      const size_t term = (buf_[i] == '\r' && i + 1 < buf_.size() && buf_[i + 1] == '\n') ? 2 : 1;
      line->assign(buf_, pos_, i - pos_);
      line_offset_ = consumed_ + pos_;
      pos_ = i + term;
      strip();
      return true;
    }
    if (n - pos_ > max_line_) {
      *status = Status::ResourceExhausted(
          fmt::format("a line is longer than the limit of {} bytes", max_line_));
      return false;
    }
    scan_rel = n - pos_;
    if (!Fill()) {
      if (error_) break;
      if (pos_ < buf_.size()) {  // the last line has no terminator
        line->assign(buf_, pos_, std::string::npos);
        line_offset_ = consumed_ + pos_;
        pos_ = buf_.size();
        strip();
        return true;
      }
      return false;
    }
  }
  *status = Status::IoError(fmt::format("read failed: {}", std::strerror(errno)));
  return false;
}

}  // namespace baogao::cli

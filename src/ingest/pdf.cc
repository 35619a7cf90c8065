// PDF importer. poppler runs in a forked child process under RLIMIT_CPU and
// RLIMIT_AS, with a wall-clock deadline enforced by the parent, because
// malformed PDFs can hang or exhaust a PDF library. The child writes the
// page texts to a pipe; anything else it does (crash, limit, timeout) turns
// into a clear error in the parent.
//
// Pipe protocol (child -> parent), all integers little-endian uint32:
//   status byte: 'O' ok, 'L' locked (needs a password), 'E' load error
//   then for 'O': flags (bit 0: encrypted but readable), page count N,
//   and N times (length, UTF-8 bytes).
#include <fcntl.h>
#include <poll.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/ingest.h"
#include "ingest/internal/common.h"
#include "text/text.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BAOGAO_INGEST_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define BAOGAO_INGEST_SANITIZER 1
#endif
#endif

namespace baogao::ingest {
namespace {

void QuietPoppler(const std::string&, void*) {}

bool WriteAll(int fd, const void* data, size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

void PutU32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// Runs in the child; never returns.
[[noreturn]] void ChildMain(std::string_view bytes, const PdfLimits& limits, int fd) {
  rlimit cpu{static_cast<rlim_t>(limits.cpu_seconds), static_cast<rlim_t>(limits.cpu_seconds + 1)};
  setrlimit(RLIMIT_CPU, &cpu);
#ifndef BAOGAO_INGEST_SANITIZER
  rlimit as{static_cast<rlim_t>(limits.memory_bytes), static_cast<rlim_t>(limits.memory_bytes)};
  setrlimit(RLIMIT_AS, &as);
#endif
  rlimit core{0, 0};
  setrlimit(RLIMIT_CORE, &core);
  poppler::set_debug_error_function(QuietPoppler, nullptr);
  std::string out;
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) {
    out.push_back('E');
  } else if (doc->is_locked()) {
    out.push_back('L');
  } else {
    out.push_back('O');
    PutU32(&out, doc->is_encrypted() ? 1 : 0);
    const int pages = std::max(0, doc->pages());
    PutU32(&out, static_cast<uint32_t>(pages));
    for (int i = 0; i < pages; ++i) {
      std::unique_ptr<poppler::page> page(doc->create_page(i));
      std::string text;
      if (page) {
        const poppler::byte_array utf8 =
            page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout).to_utf8();
        text.assign(utf8.begin(), utf8.end());
      }
      if (out.size() + text.size() > limits.max_output_bytes) text.clear();
      PutU32(&out, static_cast<uint32_t>(text.size()));
      out += text;
    }
  }
  const bool ok = WriteAll(fd, out.data(), out.size());
  ::close(fd);
  _exit(ok ? 0 : 3);
}

struct PageTexts {
  bool encrypted = false;
  std::vector<std::string> pages;
};

Result<PageTexts> RunChild(std::string_view bytes, const PdfLimits& limits) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return Status::IoError(std::string("pipe: ") + std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return Status::IoError(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::close(fds[0]);
    ChildMain(bytes, limits, fds[1]);
  }
  ::close(fds[1]);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(limits.wall_clock_ms);
  std::string data;
  bool timed_out = false, too_big = false;
  char buf[65536];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) break;
    if (r == 0) continue;
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > limits.max_output_bytes + (1u << 20)) {
      too_big = true;
      break;
    }
  }
  ::close(fds[0]);
  if (timed_out || too_big) ::kill(pid, SIGKILL);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return Status::ResourceExhausted("PDF parser timed out after " +
                                     std::to_string(limits.wall_clock_ms) + " ms");
  }
  if (too_big) return Status::ResourceExhausted("PDF text larger than the output limit");
  if (WIFSIGNALED(wstatus)) {
    const int sig = WTERMSIG(wstatus);
    if (sig == SIGXCPU) {
      return Status::ResourceExhausted("PDF parser hit the CPU limit of " +
                                       std::to_string(limits.cpu_seconds) + " s");
    }
    return Status::InvalidArgument(std::string("PDF parser crashed (signal ") +
                                   std::to_string(sig) + ", " + strsignal(sig) +
                                   "); the file is malformed or hit the memory limit");
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0 || data.empty()) {
    return Status::InvalidArgument("PDF parser failed (exit status " +
                                   std::to_string(WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1) +
                                   "; out of memory?)");
  }
  if (data[0] == 'L') return Status::InvalidArgument("encrypted PDF: a password is required");
  if (data[0] == 'E') return Status::InvalidArgument("not a readable PDF (damaged or truncated)");
  size_t pos = 1;
  auto get = [&](uint32_t* v) {
    if (pos + 4 > data.size()) return false;
    *v = 0;
    for (int i = 0; i < 4; ++i)
      *v |= static_cast<uint32_t>(static_cast<unsigned char>(data[pos + i])) << (8 * i);
    pos += 4;
    return true;
  };
  PageTexts out;
  uint32_t flags = 0, pages = 0;
  if (!get(&flags) || !get(&pages)) return Status::Internal("PDF child: short reply");
  out.encrypted = flags & 1;
  for (uint32_t i = 0; i < pages; ++i) {
    uint32_t len = 0;
    if (!get(&len) || pos + len > data.size()) return Status::Internal("PDF child: short reply");
    out.pages.emplace_back(data.substr(pos, len));
    pos += len;
  }
  return out;
}

bool EndsParagraph(std::string_view line) {
  for (std::string_view end : {"。", "！", "？", "；", "：", "”", "…", ".", "!", "?", ":"}) {
    if (line.size() >= end.size() && line.substr(line.size() - end.size()) == end) return true;
  }
  return false;
}

bool IsPageNumber(std::string_view line) {
  std::string digits;
  for (char c : line) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  if (digits.empty() || digits.size() > 4) return false;
  for (size_t i = 0; i < line.size();) {
    size_t len = 1;
    const char32_t cp = text::DecodeOne(line, i, &len);
    if (!(cp >= '0' && cp <= '9') && cp != ' ' && cp != '-' && cp != 0x2014 && cp != 0x2013 &&
        cp != U'第' && cp != U'页' && cp != U'共' && cp != '/') {
      return false;
    }
    i += len;
  }
  return true;
}

bool IsAsciiWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ',';
}

bool HasCjk(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t len = 1;
    const char32_t cp = text::DecodeOne(s, i, &len);
    if (cp >= 0x2E80 && !text::IsInvalidByteUnit(cp)) return true;
    i += len;
  }
  return false;
}

}  // namespace

Result<ParsedDocument> ParsePdf(std::string_view bytes, const ParseOptions& options) {
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
    return Status::ResourceExhausted("PDF larger than 2 GiB");
  }
  if (bytes.substr(0, 1024).find("%PDF-") == std::string_view::npos) {
    return Status::InvalidArgument("not a PDF (no %PDF- header)");
  }
  BAOGAO_ASSIGN_OR_RETURN(PageTexts pages, RunChild(bytes, options.pdf));
  ParsedDocument doc;
  doc.format = Format::kPdf;
  doc.encoding = "UTF-8";
  doc.source_url = options.source_url;
  if (pages.encrypted) doc.warnings.push_back("PDF is encrypted (opened without a password)");

  // Lines into paragraphs: a line ending a sentence, a short line, or a
  // numbered heading ends the paragraph; Chinese lines join without a space.
  std::vector<internal::Line> paragraphs;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) paragraphs.push_back({std::move(current)});
    current.clear();
  };
  for (const std::string& page : pages.pages) {
    const std::vector<std::string> raw = internal::SplitLines(text::CleanText(page));
    size_t longest = 0;
    for (const std::string& l : raw) longest = std::max(longest, internal::CharCount(l));
    for (const std::string& l : raw) {
      if (l.empty()) {
        flush();
        continue;
      }
      if (IsPageNumber(l)) continue;
      const bool heading = DetectHeadingLevel(l) > 0;
      const bool dash = l.rfind("——", 0) == 0;
      if ((heading || dash || l.rfind("【", 0) == 0) && !current.empty()) flush();
      if (!current.empty() && IsAsciiWordChar(current.back()) && IsAsciiWordChar(l.front()) &&
          !HasCjk(std::string_view(current).substr(current.size() -
                                                   std::min<size_t>(current.size(), 24))) &&
          !HasCjk(l)) {
        current.push_back(' ');
      }
      current += l;
      const size_t chars = internal::CharCount(l);
      // The document's first line is its own paragraph when it is a title.
      if (paragraphs.empty() && current == l && internal::LooksLikeTitle(l)) {
        flush();
        continue;
      }
      // A subtitle (——…在…会议上) ends at its own line end.
      const bool subtitle_end = current.rfind("——", 0) == 0 &&
                                (l.ends_with("上") || l.ends_with("话") || l.ends_with("）"));
      if (EndsParagraph(l) || chars * 10 < longest * 7 || heading || subtitle_end) flush();
    }
  }
  flush();
  internal::AssembleLines(paragraphs, /*take_title=*/true, &doc);
  if (doc.paragraphs.empty() && doc.title.empty()) {
    return Status::InvalidArgument("PDF has no extractable text (scanned images?)");
  }
  return doc;
}

}  // namespace baogao::ingest

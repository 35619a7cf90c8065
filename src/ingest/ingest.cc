// Format sniffing and the file-level entry points.
#include "ingest/ingest.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

namespace baogao::ingest {
namespace {

std::string LowerExtension(std::string_view filename) {
  const size_t slash = filename.find_last_of('/');
  const std::string_view base =
      slash == std::string_view::npos ? filename : filename.substr(slash + 1);
  const size_t dot = base.find_last_of('.');
  if (dot == std::string_view::npos) return "";
  std::string ext(base.substr(dot + 1));
  for (char& c : ext) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return ext;
}

bool LooksLikeHtml(std::string_view head) {
  std::string lower(head.substr(0, 4096));
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  size_t i = 0;
  if (lower.rfind("\xEF\xBB\xBF", 0) == 0) i = 3;
  while (i < lower.size() &&
         (lower[i] == ' ' || lower[i] == '\n' || lower[i] == '\r' || lower[i] == '\t')) {
    ++i;
  }
  if (i >= lower.size() || lower[i] != '<') return false;
  for (const char* tag :
       {"<!doctype html", "<html", "<head", "<body", "<meta", "<title", "<div", "<p>", "<table"}) {
    if (lower.find(tag) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

Format SniffFormat(std::string_view head, std::string_view extension) {
  if (head.substr(0, 1024).find("%PDF-") != std::string_view::npos) return Format::kPdf;
  if (head.substr(0, 4) == std::string_view("PK\x03\x04", 4)) return Format::kDocx;
  const std::string ext = LowerExtension(std::string("x.") + std::string(extension));
  if (LooksLikeHtml(head)) return Format::kHtml;
  const bool utf16 = head.substr(0, 2) == "\xFF\xFE" || head.substr(0, 2) == "\xFE\xFF";
  const bool has_nul = head.substr(0, 8192).find('\0') != std::string_view::npos;
  if (has_nul && !utf16) return Format::kUnknown;  // binary
  if (ext == "html" || ext == "htm" || ext == "shtml" || ext == "xhtml") return Format::kHtml;
  return Format::kText;
}

Result<ParsedDocument> ParseBytes(std::string_view bytes, std::string_view filename,
                                  const ParseOptions& options) {
  const std::string name = filename.empty() ? std::string("input") : std::string(filename);
  if (bytes.size() > options.max_file_bytes) {
    return Status::ResourceExhausted(name + ": " + std::to_string(bytes.size()) +
                                     " bytes is over the limit of " +
                                     std::to_string(options.max_file_bytes));
  }
  if (bytes.empty()) return Status::InvalidArgument(name + ": empty file");
  const std::string ext = LowerExtension(filename);
  Format format = options.format;
  if (format == Format::kUnknown) format = SniffFormat(bytes, ext);
  if (format == Format::kUnknown) {
    if (bytes.substr(0, 4) == std::string_view("\xD0\xCF\x11\xE0", 4)) {
      return Status::InvalidArgument(name + ": legacy Office (.doc/.xls) file; convert it to DOCX");
    }
    return Status::InvalidArgument(name + ": binary file of unknown format");
  }
  Result<ParsedDocument> r = Status::Internal("unreachable");
  switch (format) {
    case Format::kHtml:
      r = ParseHtml(bytes, options);
      break;
    case Format::kText:
      r = ParseText(bytes, options);
      break;
    case Format::kDocx:
      r = ParseDocx(bytes, options);
      break;
    case Format::kPdf:
      r = ParsePdf(bytes, options);
      break;
    case Format::kUnknown:
      break;
  }
  if (!r.ok()) return Status(r.status().code(), name + ": " + r.status().message());
  return r;
}

Result<ParsedDocument> ParseFile(const std::string& path, const ParseOptions& options) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    if (e == ENOENT) return Status::NotFound(path + ": no such file");
    return Status::IoError(path + ": " + std::strerror(e));
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Status::IoError(path + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return Status::InvalidArgument(path + ": not a regular file");
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > options.max_file_bytes) {
    return Status::ResourceExhausted(path + ": " + std::to_string(size) +
                                     " bytes is over the limit of " +
                                     std::to_string(options.max_file_bytes));
  }
  if (size == 0) return Status::InvalidArgument(path + ": empty file");
  std::string bytes(size, '\0');
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, bytes.data() + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IoError(path + ": " + std::strerror(errno));
    if (n == 0) break;  // the file shrank
    done += static_cast<size_t>(n);
  }
  bytes.resize(done);
  return ParseBytes(bytes, path, options);
}

}  // namespace baogao::ingest

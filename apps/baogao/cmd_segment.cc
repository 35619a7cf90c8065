// `baogao segment` and `baogao dict`.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "line_reader.h"
#include "segment/segment.h"
#include "text/text.h"

namespace baogao::cli {
namespace {

struct SegmentArgs {
  std::string mode = "default";
  bool no_hmm = false;
  std::string dict;
  std::vector<std::string> user_dicts;
  std::string delimiter = " / ";
  std::string format = "text";
  size_t max_line_mb = 256;
  std::vector<std::string> files;
};

// Buffered stdout that reports write errors (e.g. a closed pipe, a full disk).
class Output {
 public:
  void Append(std::string_view s) {
    buf_.append(s);
    if (buf_.size() >= (1 << 16)) Flush();
  }
  bool Flush() {
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), stdout) != buf_.size()) {
      failed_ = true;
    }
    buf_.clear();
    if (std::fflush(stdout) != 0) failed_ = true;
    return !failed_;
  }
  bool failed() const { return failed_; }

 private:
  std::string buf_;
  bool failed_ = false;
};

int RunSegment(const SegmentArgs& args) {
  segment::CutOptions opts;
  if (args.mode == "default") {
    opts.mode = segment::Mode::kDefault;
  } else if (args.mode == "search") {
    opts.mode = segment::Mode::kSearch;
  } else {
    opts.mode = segment::Mode::kAll;
  }
  opts.hmm = !args.no_hmm;
  segment::DictionaryOptions dopts;
  dopts.path = args.dict;
  dopts.user_dicts = args.user_dicts;
  auto dict = segment::Dictionary::Load(dopts);
  if (!dict.ok()) {
    std::fprintf(stderr, "baogao segment: %s\n", dict.status().ToString().c_str());
    return 2;
  }
  segment::Segmenter seg(*dict);
  Output out;
  const bool json = args.format == "json";
  std::vector<std::string> files = args.files;
  if (files.empty()) files.push_back("-");
  int rc = 0;
  std::string line;
  for (const std::string& path : files) {
    const bool is_stdin = path == "-";
    std::FILE* f = is_stdin ? stdin : std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
      std::fprintf(stderr, "baogao segment: cannot open '%s': %s\n", path.c_str(),
                   std::strerror(errno));
      rc = 1;
      continue;
    }
    // Python reads files with universal newlines but stdin splits at "\n".
    LineReader reader(
        f, is_stdin ? LineReader::Newlines::kNewlineOnly : LineReader::Newlines::kUniversal,
        args.max_line_mb << 20);
    Status st;
    size_t lineno = 0;
    while (reader.Next(&line, &st)) {
      ++lineno;
      const auto& tokens = seg.Cut(line, opts);
      if (json) {
        nlohmann::json j;
        j["file"] = is_stdin ? "-" : path;
        j["line"] = lineno;
        j["offset"] = reader.line_offset();
        auto& arr = j["tokens"] = nlohmann::json::array();
        for (const segment::Token& t : tokens) {
          arr.push_back({{"word", text::ToValidUtf8(t.text)},
                         {"byte_offset", t.byte_offset},
                         {"byte_length", t.text.size()},
                         {"char_offset", t.char_offset},
                         {"char_length", t.char_length}});
        }
        out.Append(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      } else {
        for (size_t i = 0; i < tokens.size(); ++i) {
          if (i > 0) out.Append(args.delimiter);
          out.Append(tokens[i].text);
        }
      }
      out.Append("\n");
      if (out.failed()) break;
    }
    if (!st.ok()) {
      std::fprintf(stderr, "baogao segment: %s line %zu: %s\n", path.c_str(), lineno + 1,
                   st.ToString().c_str());
      rc = 1;
    }
    if (!is_stdin) std::fclose(f);
  }
  if (!out.Flush()) {
    std::fprintf(stderr, "baogao segment: cannot write output: %s\n", std::strerror(errno));
    return 1;
  }
  return rc;
}

struct DictArgs {
  std::string dict;
  std::string hmm_dir;
  std::vector<std::string> user_dicts;
  std::string out;
};

segment::DictionaryOptions ToOptions(const DictArgs& args) {
  segment::DictionaryOptions dopts;
  dopts.path = args.dict;
  dopts.hmm_dir = args.hmm_dir;
  dopts.user_dicts = args.user_dicts;
  return dopts;
}

int RunDictCompile(const DictArgs& args) {
  const segment::DictionaryOptions dopts = ToOptions(args);
  auto dict = segment::Dictionary::Load(dopts);
  if (!dict.ok()) {
    std::fprintf(stderr, "baogao dict compile: %s\n", dict.status().ToString().c_str());
    return 2;
  }
  Status st = (*dict)->Compile(args.out);
  if (!st.ok()) {
    std::fprintf(stderr, "baogao dict compile: %s\n", st.ToString().c_str());
    return 1;
  }
  std::printf("wrote %s: %zu words, %zu trie nodes, total frequency %lld\n", args.out.c_str(),
              (*dict)->word_count(), (*dict)->node_count(),
              static_cast<long long>((*dict)->total()));
  return 0;
}

int RunDictInfo(const DictArgs& args) {
  const segment::DictionaryOptions dopts = ToOptions(args);
  const auto t0 = std::chrono::steady_clock::now();
  auto dict = segment::Dictionary::Load(dopts);
  const auto t1 = std::chrono::steady_clock::now();
  if (!dict.ok()) {
    std::fprintf(stderr, "baogao dict info: %s\n", dict.status().ToString().c_str());
    return 2;
  }
  std::printf("path: %s\nwords: %zu\ntrie nodes: %zu\ntotal frequency: %lld\nload: %.1f ms\n",
              dopts.path.empty() ? segment::Dictionary::DefaultPath().c_str() : dopts.path.c_str(),
              (*dict)->word_count(), (*dict)->node_count(),
              static_cast<long long>((*dict)->total()),
              std::chrono::duration<double, std::milli>(t1 - t0).count());
  return 0;
}

}  // namespace

void RegisterSegment(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<SegmentArgs>();
  CLI::App* cmd = app.add_subcommand(
      "segment",
      "Segment Chinese text into words, exactly as jieba 0.42.1 does. Reads FILEs, or stdin "
      "when none is given; prints one line per input line. The text format is byte-for-byte "
      "what `python3 -m jieba -q FILE` prints.");
  cmd->add_option("--mode", args->mode,
                  "default: jieba.cut; search: jieba.cut_for_search; all: jieba.cut(cut_all=True)")
      ->check(CLI::IsMember({"default", "search", "all"}))
      ->capture_default_str();
  cmd->add_flag("--no-hmm", args->no_hmm, "Do not use the HMM for unknown words (jieba -n)");
  cmd->add_option("--dict", args->dict,
                  "Dictionary: a compiled .bgd or a jieba dict.txt (default: $BAOGAO_DICT, then "
                  "share/baogao/jieba.bgd beside the binary, then python3-jieba's dict.txt)");
  cmd->add_option("--user-dict", args->user_dicts,
                  "User dictionary in jieba's format ('word [freq] [tag]'); repeatable, applied "
                  "in order")
      ->allow_extra_args(false);
  cmd->add_option("-d,--delimiter", args->delimiter, "Token separator in text output (jieba -d)")
      ->capture_default_str();
  cmd->add_option("--format", args->format,
                  "text, or json: one object per line with byte and character offsets")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--max-line-mb", args->max_line_mb, "Refuse lines longer than this many MiB")
      ->check(CLI::Range(1, 4000))
      ->capture_default_str();
  cmd->add_option("FILE", args->files, "Input files ('-' is stdin)");
  cmd->callback([args, exit_code] { *exit_code = RunSegment(*args); });
}

void RegisterDict(CLI::App& app, int* exit_code) {
  CLI::App* dict = app.add_subcommand("dict", "Compile or inspect segmentation dictionaries");
  dict->require_subcommand(1);
  auto args = std::make_shared<DictArgs>();
  CLI::App* compile = dict->add_subcommand(
      "compile",
      "Compile a jieba dict.txt (plus its finalseg HMM tables and optional user dictionaries) "
      "into the mmap-able .bgd format");
  compile->add_option("--dict", args->dict, "jieba dict.txt or a .bgd to extend")->required();
  compile->add_option("--hmm-dir", args->hmm_dir,
                      "Directory of prob_start.py, prob_trans.py, prob_emit.py (default: "
                      "finalseg/ beside dict.txt)");
  compile->add_option("--user-dict", args->user_dicts, "User dictionary to bake in; repeatable")
      ->allow_extra_args(false);
  compile->add_option("-o,--out", args->out, "Output .bgd path")->required();
  compile->callback([args, exit_code] { *exit_code = RunDictCompile(*args); });

  CLI::App* info = dict->add_subcommand("info", "Load a dictionary and print its statistics");
  info->add_option("--dict", args->dict, "Dictionary to load (default: as for segment)");
  info->add_option("--user-dict", args->user_dicts, "User dictionary; repeatable")
      ->allow_extra_args(false);
  info->callback([args, exit_code] { *exit_code = RunDictInfo(*args); });
}

}  // namespace baogao::cli

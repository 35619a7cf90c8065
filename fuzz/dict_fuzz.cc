// libFuzzer target for the dictionary parsers: jieba's dict.txt, user
// dictionaries (load_userdict semantics, including suggest_freq) and the
// Python literal reader for finalseg's prob_emit.py. The input is split on
// "\n==\n" into those three files; loading must either succeed or return an
// error, and a loaded dictionary must segment.
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include "segment/segment.h"

namespace {
const std::string& Dir() {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/baogao_dict_fuzz_XXXXXX";
    std::string d = ::mkdtemp(tmpl);
    ::mkdir((d + "/finalseg").c_str(), 0755);
    std::ofstream(d + "/finalseg/prob_start.py")
        << "P={'B': -0.26, 'E': -3.14e+100, 'M': -3.14e+100, 'S': -1.46}\n";
    std::ofstream(d + "/finalseg/prob_trans.py")
        << "P={'B': {'E': -0.51, 'M': -0.91}, 'E': {'B': -0.58, 'S': -0.80},\n"
           " 'M': {'E': -0.33, 'M': -1.26}, 'S': {'B': -0.72, 'S': -0.66}}\n";
    return d;
  }();
  return dir;
}

void Write(const std::string& path, std::string_view content) {
  std::ofstream(path, std::ios::binary)
      .write(content.data(), static_cast<std::streamsize>(content.size()));
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view parts[3];
  for (int i = 0; i < 3; ++i) {
    size_t sep = in.find("\n==\n");
    parts[i] = in.substr(0, sep);
    in = sep == std::string_view::npos ? std::string_view() : in.substr(sep + 4);
  }
  const std::string& dir = Dir();
  Write(dir + "/dict.txt", parts[0]);
  Write(dir + "/user.txt", parts[1]);
  Write(dir + "/finalseg/prob_emit.py", parts[2]);
  baogao::segment::DictionaryOptions opts;
  opts.path = dir + "/dict.txt";
  opts.user_dicts = {dir + "/user.txt"};
  auto dict = baogao::segment::Dictionary::Load(opts);
  if (!dict.ok()) {
    if (dict.status().message().empty()) std::abort();  // errors must say what is wrong
    return 0;
  }
  baogao::segment::Segmenter seg(*dict);
  (void)seg.Cut(parts[1], {baogao::segment::Mode::kDefault, true});
  (void)seg.Cut(parts[0], {baogao::segment::Mode::kSearch, true});
  return 0;
}

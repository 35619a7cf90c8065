// DOCX importer: libzip reads the archive from memory, libxml2 parses
// word/document.xml and word/styles.xml.
//
// Hostile-archive defences: entry-count cap, per-entry compression-ratio
// cap, a cap on bytes decompressed (enforced while reading, not trusted
// from the header), no DTDs (a DOCTYPE is refused outright, so no entity
// expansion), no network access, and part lookup that tolerates odd names
// (backslashes, case, leading "/", non-UTF-8 names of other entries).
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/ingest.h"
#include "ingest/internal/common.h"

namespace baogao::ingest {
namespace {

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
struct XmlDocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

std::string NormalizeName(std::string_view raw) {
  std::string n(raw);
  std::replace(n.begin(), n.end(), '\\', '/');
  while (n.rfind("./", 0) == 0) n.erase(0, 2);
  while (!n.empty() && n[0] == '/') n.erase(0, 1);
  for (char& c : n) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return n;
}

class Archive {
 public:
  Archive(zip_t* z, const DocxLimits& limits) : zip_(z), limits_(limits) {
    const zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < n; ++i) {
      const char* name = zip_get_name(z, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW);
      if (name != nullptr) names_.emplace(NormalizeName(name), static_cast<zip_uint64_t>(i));
    }
  }

  // Index of the entry whose normalized name is `name`, or -1.
  zip_int64_t Find(const std::string& name) const {
    const auto it = names_.find(NormalizeName(name));
    return it == names_.end() ? -1 : static_cast<zip_int64_t>(it->second);
  }
  // First entry whose normalized name ends with `suffix`, or -1.
  zip_int64_t FindSuffix(const std::string& suffix) const {
    for (const auto& [name, index] : names_) {
      if (name.size() >= suffix.size() &&
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return static_cast<zip_int64_t>(index);
      }
    }
    return -1;
  }

  Result<std::string> Read(zip_int64_t index, const std::string& what) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(index), 0, &st) != 0) {
      return Status::Corrupt("DOCX: cannot stat " + what);
    }
    if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) && st.size > (1u << 20) &&
        static_cast<double>(st.size) >
            limits_.max_compression_ratio *
                static_cast<double>(std::max<zip_uint64_t>(1, st.comp_size))) {
      return Status::ResourceExhausted(
          "DOCX: " + what + " compression ratio over " +
          std::to_string(static_cast<int>(limits_.max_compression_ratio)) + " (zip bomb?)");
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
      return Status::InvalidArgument("DOCX: " + what + " is encrypted");
    }
    std::unique_ptr<zip_file_t, ZipFileCloser> f(
        zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0));
    if (!f) {
      return Status::Corrupt("DOCX: cannot open " + what + ": " + zip_strerror(zip_.get()));
    }
    std::string out;
    char buf[65536];
    for (;;) {
      const zip_int64_t n = zip_fread(f.get(), buf, sizeof buf);
      if (n < 0) {
        return Status::Corrupt("DOCX: " + what +
                               " is truncated or corrupt: " + zip_file_strerror(f.get()));
      }
      if (n == 0) break;
      read_total_ += static_cast<uint64_t>(n);
      if (read_total_ > limits_.max_uncompressed_bytes) {
        return Status::ResourceExhausted("DOCX: more than " +
                                         std::to_string(limits_.max_uncompressed_bytes) +
                                         " bytes uncompressed (zip bomb?)");
      }
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  std::unique_ptr<zip_t, ZipCloser> zip_;
  DocxLimits limits_;
  std::map<std::string, zip_uint64_t> names_;
  uint64_t read_total_ = 0;
};

Result<std::unique_ptr<xmlDoc, XmlDocFree>> ParseXml(const std::string& xml,
                                                     const std::string& what) {
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });
  // DOCX parts never carry a DTD; refusing one rules out entity tricks.
  if (xml.find("<!DOCTYPE") != std::string::npos || xml.find("<!ENTITY") != std::string::npos) {
    return Status::InvalidArgument("DOCX: " + what + " has a DTD (not allowed)");
  }
  if (xml.size() > static_cast<size_t>(INT32_MAX)) {
    return Status::ResourceExhausted("DOCX: " + what + " too large");
  }
  xmlDoc* d = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), what.c_str(), nullptr,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (d == nullptr) return Status::Corrupt("DOCX: " + what + " is not well-formed XML");
  return std::unique_ptr<xmlDoc, XmlDocFree>(d);
}

std::string_view Local(const xmlNode* n) {
  return n->name == nullptr ? std::string_view() : reinterpret_cast<const char*>(n->name);
}

std::string AttrVal(const xmlNode* n, std::string_view local) {
  for (const xmlAttr* a = n->properties; a != nullptr; a = a->next) {
    if (a->name != nullptr && reinterpret_cast<const char*>(a->name) == local && a->children &&
        a->children->content) {
      return reinterpret_cast<const char*>(a->children->content);
    }
  }
  return "";
}

const xmlNode* Child(const xmlNode* n, std::string_view local) {
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && Local(c) == local) return c;
  }
  return nullptr;
}

struct StyleInfo {
  int level = 0;
  bool title = false;
  std::string based_on;
};

std::map<std::string, StyleInfo> ReadStyles(const xmlDoc* doc) {
  std::map<std::string, StyleInfo> styles;
  const xmlNode* root = xmlDocGetRootElement(doc);
  if (root == nullptr) return styles;
  for (const xmlNode* s = root->children; s != nullptr; s = s->next) {
    if (s->type != XML_ELEMENT_NODE || Local(s) != "style") continue;
    StyleInfo info;
    const std::string id = AttrVal(s, "styleId");
    std::string name;
    if (const xmlNode* n = Child(s, "name")) name = AttrVal(n, "val");
    for (char& c : name) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (const xmlNode* b = Child(s, "basedOn")) info.based_on = AttrVal(b, "val");
    if (const xmlNode* ppr = Child(s, "pPr")) {
      if (const xmlNode* o = Child(ppr, "outlineLvl")) {
        const std::string v = AttrVal(o, "val");
        if (v.size() == 1 && v[0] >= '0' && v[0] <= '8') info.level = v[0] - '0' + 1;
      }
    }
    for (std::string_view prefix : {"heading ", "标题 "}) {
      if (info.level == 0 && name.rfind(prefix, 0) == 0 && name.size() == prefix.size() + 1 &&
          name.back() >= '1' && name.back() <= '9') {
        info.level = name.back() - '0';
      }
    }
    if (name == "title" || name == "标题" || id == "Title") info.title = true;
    styles[id] = info;
  }
  return styles;
}

int StyleLevel(const std::map<std::string, StyleInfo>& styles, std::string id, bool* title) {
  for (int hop = 0; hop < 4 && !id.empty(); ++hop) {
    const auto it = styles.find(id);
    if (it == styles.end()) break;
    if (it->second.title) *title = true;
    if (it->second.level > 0 || it->second.title) return it->second.level;
    id = it->second.based_on;
  }
  return 0;
}

class BodyReader {
 public:
  explicit BodyReader(const std::map<std::string, StyleInfo>& styles) : styles_(styles) {}

  void Visit(const xmlNode* n) {
    for (const xmlNode* c = n; c != nullptr; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      const std::string_view name = Local(c);
      if (name == "Fallback" || name == "del" || name == "txbxContent") continue;
      if (name == "p") {
        Paragraph(c);
        continue;
      }
      Visit(c->children);
    }
  }

  std::vector<internal::Line> lines;

 private:
  void Paragraph(const xmlNode* p) {
    int style_level = 0;
    bool title = false;
    if (const xmlNode* ppr = Child(p, "pPr")) {
      if (const xmlNode* ps = Child(ppr, "pStyle")) {
        style_level = StyleLevel(styles_, AttrVal(ps, "val"), &title);
      }
      if (const xmlNode* o = Child(ppr, "outlineLvl")) {
        const std::string v = AttrVal(o, "val");
        if (v.size() == 1 && v[0] >= '0' && v[0] <= '8') style_level = v[0] - '0' + 1;
      }
    }
    std::string text;
    CollectText(p->children, &text);
    size_t pos = 0;
    while (pos <= text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      lines.push_back({text.substr(pos, nl - pos), style_level, title});
      pos = nl + 1;
    }
  }

  void CollectText(const xmlNode* n, std::string* out) {
    for (const xmlNode* c = n; c != nullptr; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      const std::string_view name = Local(c);
      if (name == "t") {
        for (const xmlNode* t = c->children; t != nullptr; t = t->next) {
          if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) && t->content) {
            out->append(reinterpret_cast<const char*>(t->content));
          }
        }
      } else if (name == "tab") {
        out->push_back(' ');
      } else if ((name == "br" && AttrVal(c, "type") != "page") || name == "cr") {
        out->push_back('\n');
      } else if (name == "pPr" || name == "rPr" || name == "delText" || name == "instrText" ||
                 name == "Fallback" || name == "del" || name == "txbxContent") {
        continue;
      } else {
        CollectText(c->children, out);
      }
    }
  }

  const std::map<std::string, StyleInfo>& styles_;
};

}  // namespace

Result<ParsedDocument> ParseDocx(std::string_view bytes, const ParseOptions& options) {
  ParsedDocument doc;
  doc.format = Format::kDocx;
  doc.encoding = "UTF-8";
  doc.source_url = options.source_url;
  zip_error_t zerr;
  zip_error_init(&zerr);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &zerr);
  if (src == nullptr) {
    zip_error_fini(&zerr);
    return Status::Internal("DOCX: cannot create zip source");
  }
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
  if (z == nullptr) {
    const int code = zip_error_code_zip(&zerr);
    std::string msg = zip_error_strerror(&zerr);
    zip_source_free(src);
    zip_error_fini(&zerr);
    if (code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS || code == ZIP_ER_READ ||
        code == ZIP_ER_SEEK || code == ZIP_ER_EOF) {
      return Status::InvalidArgument("DOCX: truncated or corrupt zip archive (" + msg + ")");
    }
    return Status::InvalidArgument("DOCX: cannot open zip archive (" + msg + ")");
  }
  zip_error_fini(&zerr);
  const zip_int64_t entries = zip_get_num_entries(z, 0);
  if (entries < 0 || static_cast<uint64_t>(entries) > options.docx.max_entries) {
    zip_discard(z);
    return Status::ResourceExhausted("DOCX: " + std::to_string(entries) + " zip entries (limit " +
                                     std::to_string(options.docx.max_entries) + ")");
  }
  Archive archive(z, options.docx);

  // The main part: from [Content_Types].xml, else the usual names.
  std::string main_part = "word/document.xml";
  if (const zip_int64_t ct = archive.Find("[Content_Types].xml"); ct >= 0) {
    BAOGAO_ASSIGN_OR_RETURN(std::string xml, archive.Read(ct, "[Content_Types].xml"));
    auto parsed = ParseXml(xml, "[Content_Types].xml");
    if (parsed.ok()) {
      const xmlNode* root = xmlDocGetRootElement(parsed->get());
      for (const xmlNode* c = root ? root->children : nullptr; c != nullptr; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && Local(c) == "Override" &&
            AttrVal(c, "ContentType").find("wordprocessingml.document.main+xml") !=
                std::string::npos) {
          main_part = AttrVal(c, "PartName");
        }
      }
    }
  }
  zip_int64_t index = archive.Find(main_part);
  if (index < 0) index = archive.Find("word/document.xml");
  if (index < 0) index = archive.FindSuffix("/document.xml");
  if (index < 0) {
    return Status::InvalidArgument("DOCX: no word/document.xml in the archive (not a DOCX?)");
  }
  BAOGAO_ASSIGN_OR_RETURN(std::string body_xml, archive.Read(index, "word/document.xml"));

  std::map<std::string, StyleInfo> styles;
  if (zip_int64_t si = archive.Find("word/styles.xml"); si >= 0) {
    BAOGAO_ASSIGN_OR_RETURN(std::string styles_xml, archive.Read(si, "word/styles.xml"));
    auto parsed = ParseXml(styles_xml, "word/styles.xml");
    if (parsed.ok()) {
      styles = ReadStyles(parsed->get());
    } else {
      doc.warnings.push_back(parsed.status().message() + "; heading styles ignored");
    }
  }

  BAOGAO_ASSIGN_OR_RETURN(auto body, ParseXml(body_xml, "word/document.xml"));
  const xmlNode* root = xmlDocGetRootElement(body.get());
  const xmlNode* body_node = root ? Child(root, "body") : nullptr;
  if (body_node == nullptr) return Status::InvalidArgument("DOCX: document.xml has no w:body");
  BodyReader reader(styles);
  reader.Visit(body_node->children);
  internal::AssembleLines(reader.lines, /*take_title=*/true, &doc);
  if (doc.paragraphs.empty() && doc.title.empty()) {
    return Status::InvalidArgument("DOCX: document has no text");
  }
  return doc;
}

}  // namespace baogao::ingest

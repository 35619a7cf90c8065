#include "search/query.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <span>
#include <utility>

#include "text/text.h"

namespace baogao::search {
namespace {

using Kind = QueryNode::Kind;

// ---------------------------------------------------------------------------
// Characters

bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' ||
         c == U'\u3000';
}
bool IsMinus(char32_t c) { return c == '-' || c == U'\uFF0D'; }
bool IsOpenParen(char32_t c) { return c == '(' || c == U'\uFF08'; }
bool IsCloseParen(char32_t c) { return c == ')' || c == U'\uFF09'; }
bool IsColon(char32_t c) { return c == ':' || c == U'\uFF1A'; }

// The closing quote for an opening one, or 0 when `c` opens nothing.
char32_t CloserOf(char32_t c) {
  switch (c) {
    case '"':
      return '"';
    case U'\u201C':
      return U'\u201D';
    case U'\u300C':
      return U'\u300D';
    default:
      return 0;
  }
}
bool IsStrayCloser(char32_t c) { return c == U'\u201D' || c == U'\u300D'; }

// Characters that end a word.
bool IsDelimiter(char32_t c) {
  return IsSpace(c) || IsOpenParen(c) || IsCloseParen(c) || CloserOf(c) != 0 || IsStrayCloser(c);
}

bool IsAllSpace(std::span<const char32_t> chars) {
  for (char32_t c : chars) {
    if (!IsSpace(c)) return false;
  }
  return true;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// ---------------------------------------------------------------------------
// Error messages (Chinese: they are shown to the site's users)

// `pos` is a 0-based character index; users count from 1.
Status SyntaxError(size_t pos, std::string_view what) {
  return Status::InvalidArgument("查询语法错误：第 " + std::to_string(pos + 1) + " 个字符处" +
                                 std::string(what));
}

// “text”, cut to 20 characters. `s` is valid UTF-8.
std::string QuoteForMessage(std::string_view s) {
  std::string out = "“";
  size_t chars = 0;
  size_t i = 0;
  while (i < s.size()) {
    if (chars == 20) {
      out += "…";
      break;
    }
    size_t len = 1;
    text::DecodeOne(s, i, &len);
    out.append(s.substr(i, len));
    i += len;
    ++chars;
  }
  out += "”";
  return out;
}

// ---------------------------------------------------------------------------
// Lexer

enum class Field { kRegion, kLevel, kType, kYear, kSource };

struct FieldName {
  std::string_view name;
  Field field;
};
constexpr std::array<FieldName, 5> kFieldNames = {{
    {"region", Field::kRegion},
    {"level", Field::kLevel},
    {"type", Field::kType},
    {"year", Field::kYear},
    {"source", Field::kSource},
}};

struct Token {
  enum class Type { kWord, kPhrase, kField, kLParen, kRParen, kOr, kNot, kEnd };
  Type type = Type::kEnd;
  size_t pos = 0;        // character index of the token's first character
  std::string text;      // kWord, kPhrase: the raw text; kField: the raw value
  Field field{};         // kField
  size_t value_pos = 0;  // kField: character index of the value
};

class Lexer {
 public:
  Lexer(std::string_view query, const text::Decoded& decoded)
      : query_(query), chars_(decoded.chars()), offsets_(decoded.offsets()) {}

  // Splits the whole query into tokens, ending with kEnd.
  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    size_t i = 0;
    bool after_not = false;  // the previous token is a kNot
    while (true) {
      while (i < chars_.size() && IsSpace(chars_[i])) ++i;
      if (i == chars_.size()) break;
      const char32_t c = chars_[i];
      Token t;
      t.pos = i;
      if (IsOpenParen(c)) {
        t.type = Token::Type::kLParen;
        ++i;
      } else if (IsCloseParen(c)) {
        t.type = Token::Type::kRParen;
        ++i;
      } else if (IsStrayCloser(c)) {
        return SyntaxError(i, "的引号没有配对");
      } else if (CloserOf(c) != 0) {
        t.type = Token::Type::kPhrase;
        BAOGAO_ASSIGN_OR_RETURN(t.text, LexQuoted(&i));
      } else if (IsMinus(c) && !after_not && i + 1 < chars_.size() &&
                 StartsOperand(chars_[i + 1])) {
        t.type = Token::Type::kNot;
        ++i;
      } else {
        BAOGAO_RETURN_IF_ERROR(LexWord(&i, after_not, &t));
      }
      after_not = t.type == Token::Type::kNot;
      tokens.push_back(std::move(t));
    }
    Token end;
    end.pos = chars_.size();
    tokens.push_back(std::move(end));
    return tokens;
  }

 private:
  // Whether a minus directly before `next` negates: `next` must begin a
  // word, phrase or group, and a second minus makes the whole word literal.
  static bool StartsOperand(char32_t next) {
    return !IsSpace(next) && !IsCloseParen(next) && !IsStrayCloser(next) && !IsMinus(next);
  }

  std::string Bytes(size_t begin, size_t end) const {
    return std::string(query_.substr(offsets_[begin], offsets_[end] - offsets_[begin]));
  }

  // At an opening quote: returns the content up to its closer and moves *i
  // past the closer.
  Result<std::string> LexQuoted(size_t* i) {
    const size_t open = *i;
    const char32_t closer = CloserOf(chars_[open]);
    size_t j = open + 1;
    while (j < chars_.size() && chars_[j] != closer) ++j;
    if (j == chars_.size()) return SyntaxError(open, "的引号没有配对");
    if (IsAllSpace(chars_.subspan(open + 1, j - open - 1))) {
      return SyntaxError(open, "的引号里没有内容");
    }
    *i = j + 1;
    return Bytes(open + 1, j);
  }

  // At the first character of a word: fills *t as kWord, kOr or kField.
  Status LexWord(size_t* i, bool after_not, Token* t) {
    const size_t begin = *i;
    size_t end = begin;
    while (end < chars_.size() && !IsDelimiter(chars_[end])) ++end;
    *i = end;
    t->text = Bytes(begin, end);
    if (t->text == "OR" && !after_not) {
      t->type = Token::Type::kOr;
      return Status::Ok();
    }
    size_t colon = begin;
    while (colon < end && !IsColon(chars_[colon])) ++colon;
    if (colon < end) {
      const std::string name = AsciiLower(Bytes(begin, colon));
      for (const FieldName& f : kFieldNames) {
        if (f.name != name) continue;
        t->type = Token::Type::kField;
        t->field = f.field;
        t->value_pos = colon + 1;
        if (colon + 1 < end) {
          t->text = Bytes(colon + 1, end);
        } else if (end < chars_.size() && CloserOf(chars_[end]) != 0) {
          BAOGAO_ASSIGN_OR_RETURN(t->text, LexQuoted(i));
        } else {
          return SyntaxError(begin, "的" + QuoteForMessage(Bytes(begin, colon + 1)) + "后面缺少值");
        }
        return Status::Ok();
      }
    }
    t->type = Token::Type::kWord;
    return Status::Ok();
  }

  std::string_view query_;
  std::span<const char32_t> chars_;
  std::span<const uint32_t> offsets_;
};

// ---------------------------------------------------------------------------
// Field values

// Trims the whitespace the query language knows (ASCII and U+3000).
std::string_view TrimQuerySpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || (s.front() >= '\t' && s.front() <= '\r'))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || (s.back() >= '\t' && s.back() <= '\r'))) {
    s.remove_suffix(1);
  }
  constexpr std::string_view kIdeographicSpace = "\u3000";
  if (s.starts_with(kIdeographicSpace)) return TrimQuerySpace(s.substr(kIdeographicSpace.size()));
  if (s.ends_with(kIdeographicSpace)) {
    return TrimQuerySpace(s.substr(0, s.size() - kIdeographicSpace.size()));
  }
  return s;
}

struct LevelAlias {
  std::string_view name;
  Level level;
};
constexpr LevelAlias kLevelAliases[] = {
    {"national", Level::kNational}, {"全国", Level::kNational},
    {"国家", Level::kNational},     {"国家级", Level::kNational},
    {"全國", Level::kNational},     {"國家", Level::kNational},
    {"國家級", Level::kNational},   {"province", Level::kProvince},
    {"省", Level::kProvince},       {"省级", Level::kProvince},
    {"省級", Level::kProvince},     {"prefecture", Level::kPrefecture},
    {"市", Level::kPrefecture},     {"市级", Level::kPrefecture},
    {"地级", Level::kPrefecture},   {"地市级", Level::kPrefecture},
    {"市級", Level::kPrefecture},   {"地級", Level::kPrefecture},
    {"地市級", Level::kPrefecture}, {"county", Level::kCounty},
    {"县", Level::kCounty},         {"县级", Level::kCounty},
    {"区县", Level::kCounty},       {"縣", Level::kCounty},
    {"縣級", Level::kCounty},       {"區縣", Level::kCounty},
};

Result<Level> ParseLevel(std::string_view raw, size_t pos) {
  const std::string value = AsciiLower(TrimQuerySpace(raw));
  for (const LevelAlias& a : kLevelAliases) {
    if (a.name == value) return a.level;
  }
  return SyntaxError(pos, "的级别" + QuoteForMessage(raw) + "无法识别（可用：全国、省、市、县）");
}

struct TypeAlias {
  std::string_view name;
  report::ReportType type;
};
// Besides these: report::ReportTypeName (政府工作报告 ...) and
// report::ReportTypeSlug (baogao ...).
constexpr TypeAlias kTypeAliases[] = {
    {"工作报告", report::ReportType::kGovernmentWork},
    {"report", report::ReportType::kGovernmentWork},
    {"gzbg", report::ReportType::kGovernmentWork},
    {"政府工作報告", report::ReportType::kGovernmentWork},
    {"工作報告", report::ReportType::kGovernmentWork},
    {"公报", report::ReportType::kStatistical},
    {"bulletin", report::ReportType::kStatistical},
    {"tjgb", report::ReportType::kStatistical},
    {"統計公報", report::ReportType::kStatistical},
    {"公報", report::ReportType::kStatistical},
    {"plan", report::ReportType::kPlan},
    {"gh", report::ReportType::kPlan},
    {"規劃", report::ReportType::kPlan},
    {"其它", report::ReportType::kOther},
};

Result<report::ReportType> ParseType(std::string_view raw, size_t pos) {
  const std::string value = AsciiLower(TrimQuerySpace(raw));
  for (report::ReportType t :
       {report::ReportType::kGovernmentWork, report::ReportType::kStatistical,
        report::ReportType::kPlan, report::ReportType::kOther}) {
    if (report::ReportTypeName(t) == value) return t;
  }
  if (auto t = report::ReportTypeFromSlug(value); t.ok()) return *t;
  for (const TypeAlias& a : kTypeAliases) {
    if (a.name == value) return a.type;
  }
  return SyntaxError(pos, "的类型" + QuoteForMessage(raw) +
                              "无法识别（可用：政府工作报告、统计公报、规划、其他）");
}

// Full-width digits, ．and － become ASCII; everything else is kept.
std::string NarrowYear(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    size_t len = 1;
    const char32_t c = text::DecodeOne(s, i, &len);
    if (c >= U'\uFF10' && c <= U'\uFF19') {
      out += static_cast<char>('0' + (c - U'\uFF10'));
    } else if (c == U'\uFF0E') {
      out += '.';
    } else if (c == U'\uFF0D') {
      out += '-';
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  return out;
}

Result<YearRange> ParseYears(std::string_view raw, size_t pos) {
  const std::string value = NarrowYear(TrimQuerySpace(raw));
  const Status unrecognised =
      SyntaxError(pos, "的年份" + QuoteForMessage(raw) +
                           "无法识别（可用的写法：2020、2018..2023、2018..、..2020）");
  std::string_view from_text = value;
  std::string_view to_text = value;
  if (size_t dots = value.find(".."); dots != std::string::npos) {
    from_text = std::string_view(value).substr(0, dots);
    to_text = std::string_view(value).substr(dots + 2);
    if (from_text.empty() && to_text.empty()) return unrecognised;
  } else if (size_t dash = value.find('-'); dash != std::string::npos) {
    from_text = std::string_view(value).substr(0, dash);
    to_text = std::string_view(value).substr(dash + 1);
    if (from_text.empty() || to_text.empty()) return unrecognised;
  }
  auto parse_one = [&](std::string_view s, std::optional<int>* out) -> Status {
    if (s.empty()) return Status::Ok();
    if (s.size() != 4) return unrecognised;
    int year = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return unrecognised;
      year = year * 10 + (c - '0');
    }
    if (year < kMinYear || year > kMaxYear) {
      return SyntaxError(pos, "的年份 " + std::to_string(year) + " 超出范围（" +
                                  std::to_string(kMinYear) + " 至 " + std::to_string(kMaxYear) +
                                  " 年）");
    }
    *out = year;
    return Status::Ok();
  };
  YearRange years;
  BAOGAO_RETURN_IF_ERROR(parse_one(from_text, &years.from));
  BAOGAO_RETURN_IF_ERROR(parse_one(to_text, &years.to));
  if (years.from && years.to && *years.from > *years.to) {
    return SyntaxError(pos, "的年份范围" + QuoteForMessage(raw) + "起始年份晚于结束年份");
  }
  return years;
}

// ---------------------------------------------------------------------------
// Parser
//
//   query    := sequence END
//   sequence := or_expr*            (implicit AND)
//   or_expr  := unary ("OR" unary)*
//   unary    := NOT primary | primary
//   primary  := WORD | PHRASE | FIELD | "(" sequence ")"
//
// The recursion is bounded by kMaxDepth: only a parenthesis re-enters
// ParseSequence, and the lexer never emits two kNot in a row.

QueryNode Leaf(Kind kind, std::string value = {}) {
  QueryNode n;
  n.kind = kind;
  n.value = std::move(value);
  return n;
}

// AND/OR of `children`, flattened, or the only child itself.
QueryNode Combine(Kind kind, std::vector<QueryNode> children) {
  if (children.size() == 1) return std::move(children[0]);
  QueryNode n;
  n.kind = kind;
  for (QueryNode& c : children) {
    if (c.kind == kind) {
      for (QueryNode& grandchild : c.children) n.children.push_back(std::move(grandchild));
    } else {
      n.children.push_back(std::move(c));
    }
  }
  return n;
}

QueryNode Negate(QueryNode child) {
  if (child.kind == Kind::kNot) return std::move(child.children[0]);
  QueryNode n;
  n.kind = Kind::kNot;
  n.children.push_back(std::move(child));
  return n;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  Result<QueryNode> Run() {
    BAOGAO_ASSIGN_OR_RETURN(std::vector<QueryNode> terms, ParseSequence());
    if (Peek().type == Token::Type::kRParen) return SyntaxError(Peek().pos, "的右括号没有配对");
    if (terms.empty()) return Leaf(Kind::kMatchAll);
    return Combine(Kind::kAnd, std::move(terms));
  }

 private:
  const Token& Peek() const { return tokens_[next_]; }
  const Token& Take() { return tokens_[next_++]; }
  static bool EndsSequence(Token::Type t) {
    return t == Token::Type::kEnd || t == Token::Type::kRParen;
  }

  // Operands up to the end or a closing parenthesis (not consumed).
  Result<std::vector<QueryNode>> ParseSequence() {
    std::vector<QueryNode> terms;
    while (!EndsSequence(Peek().type)) {
      BAOGAO_ASSIGN_OR_RETURN(QueryNode term, ParseOr());
      terms.push_back(std::move(term));
    }
    return terms;
  }

  Result<QueryNode> ParseOr() {
    if (Peek().type == Token::Type::kOr) return SyntaxError(Peek().pos, "的 OR 左边缺少搜索词");
    std::vector<QueryNode> alternatives;
    BAOGAO_ASSIGN_OR_RETURN(QueryNode first, ParseUnary());
    alternatives.push_back(std::move(first));
    while (Peek().type == Token::Type::kOr) {
      const size_t or_pos = Take().pos;
      if (EndsSequence(Peek().type) || Peek().type == Token::Type::kOr) {
        return SyntaxError(or_pos, "的 OR 右边缺少搜索词");
      }
      BAOGAO_ASSIGN_OR_RETURN(QueryNode next, ParseUnary());
      alternatives.push_back(std::move(next));
    }
    return Combine(Kind::kOr, std::move(alternatives));
  }

  Result<QueryNode> ParseUnary() {
    if (Peek().type != Token::Type::kNot) return ParsePrimary();
    Take();
    BAOGAO_ASSIGN_OR_RETURN(QueryNode operand, ParsePrimary());
    return Negate(std::move(operand));
  }

  Result<QueryNode> ParsePrimary() {
    const Token& t = Take();
    switch (t.type) {
      case Token::Type::kWord:
        BAOGAO_RETURN_IF_ERROR(CountLeaf(t.pos));
        return Leaf(Kind::kText, t.text);
      case Token::Type::kPhrase:
        BAOGAO_RETURN_IF_ERROR(CountLeaf(t.pos));
        return Leaf(Kind::kPhrase, t.text);
      case Token::Type::kField:
        BAOGAO_RETURN_IF_ERROR(CountLeaf(t.pos));
        return FieldNode(t);
      case Token::Type::kLParen: {
        if (depth_ == kMaxDepth) {
          return Status::InvalidArgument("查询嵌套过深：括号最多 " + std::to_string(kMaxDepth) +
                                         " 层（第 " + std::to_string(t.pos + 1) +
                                         " 个字符处超出）");
        }
        ++depth_;
        BAOGAO_ASSIGN_OR_RETURN(std::vector<QueryNode> terms, ParseSequence());
        --depth_;
        if (Peek().type != Token::Type::kRParen) return SyntaxError(t.pos, "的左括号没有配对");
        Take();
        if (terms.empty()) return SyntaxError(t.pos, "的括号里没有内容");
        return Combine(Kind::kAnd, std::move(terms));
      }
      case Token::Type::kRParen:
      case Token::Type::kOr:
      case Token::Type::kNot:
      case Token::Type::kEnd:
        break;
    }
    // The grammar above never gets here (ParseSequence and ParseOr look
    // ahead, the lexer emits kNot only before an operand); but this is user
    // input, so answer rather than CHECK.
    return SyntaxError(t.pos, "缺少搜索词");
  }

  Status CountLeaf(size_t pos) {
    if (++leaves_ > kMaxLeaves) {
      return Status::InvalidArgument("查询过于复杂：最多 " + std::to_string(kMaxLeaves) +
                                     " 个搜索词或筛选条件（第 " + std::to_string(pos + 1) +
                                     " 个字符处超出）");
    }
    return Status::Ok();
  }

  static Result<QueryNode> FieldNode(const Token& t) {
    QueryNode n;
    switch (t.field) {
      case Field::kRegion:
        return Leaf(Kind::kRegion, t.text);
      case Field::kSource:
        return Leaf(Kind::kSource, t.text);
      case Field::kLevel: {
        n.kind = Kind::kLevel;
        BAOGAO_ASSIGN_OR_RETURN(n.level, ParseLevel(t.text, t.value_pos));
        return n;
      }
      case Field::kType: {
        n.kind = Kind::kType;
        BAOGAO_ASSIGN_OR_RETURN(n.type, ParseType(t.text, t.value_pos));
        return n;
      }
      case Field::kYear: {
        n.kind = Kind::kYear;
        BAOGAO_ASSIGN_OR_RETURN(n.years, ParseYears(t.text, t.value_pos));
        return n;
      }
    }
    return SyntaxError(t.pos, "缺少搜索词");
  }

  std::vector<Token> tokens_;
  size_t next_ = 0;
  int depth_ = 0;
  int leaves_ = 0;
};

// ---------------------------------------------------------------------------
// Printing

void AppendEscaped(std::string_view s, std::string* out) {
  *out += '"';
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      *out += '\\';
      *out += c;
    } else if (b < 0x20 || b == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", b);
      *out += buf;
    } else {
      *out += c;
    }
  }
  *out += '"';
}

std::string YearsText(const YearRange& y) {
  if (y.from && y.to && *y.from == *y.to) return std::to_string(*y.from);
  std::string out;
  if (y.from) out += std::to_string(*y.from);
  out += "..";
  if (y.to) out += std::to_string(*y.to);
  return out;
}

void AppendDebug(const QueryNode& n, std::string* out) {
  auto list = [&](std::string_view name) {
    *out += name;
    *out += '(';
    for (size_t i = 0; i < n.children.size(); ++i) {
      if (i > 0) *out += ", ";
      AppendDebug(n.children[i], out);
    }
    *out += ')';
  };
  auto quoted = [&](std::string_view name) {
    *out += name;
    *out += '(';
    AppendEscaped(n.value, out);
    *out += ')';
  };
  switch (n.kind) {
    case Kind::kMatchAll:
      *out += "ALL";
      return;
    case Kind::kAnd:
      return list("AND");
    case Kind::kOr:
      return list("OR");
    case Kind::kNot:
      return list("NOT");
    case Kind::kText:
      return quoted("TEXT");
    case Kind::kPhrase:
      return quoted("PHRASE");
    case Kind::kRegion:
      return quoted("REGION");
    case Kind::kSource:
      return quoted("SOURCE");
    case Kind::kLevel:
      *out += "LEVEL(";
      *out += LevelSlug(n.level);
      *out += ')';
      return;
    case Kind::kType:
      *out += "TYPE(";
      *out += report::ReportTypeName(n.type);
      *out += ')';
      return;
    case Kind::kYear:
      *out += "YEAR(" + YearsText(n.years) + ")";
      return;
  }
}

// A phrase in the first quote pair whose closer the value lacks.
std::string QuotedPhrase(std::string_view value) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kPairs = {{
      {"\"", "\""},
      {"\u201C", "\u201D"},
      {"\u300C", "\u300D"},
  }};
  for (const auto& [open, close] : kPairs) {
    if (value.find(close) == std::string_view::npos) {
      return std::string(open) + std::string(value) + std::string(close);
    }
  }
  // Not reachable for parsed trees: a phrase never holds its own closer.
  return "\"" + std::string(value) + "\"";
}

// Whether `value` lexes back as one word: no delimiter characters.
bool IsBareWord(std::string_view value) {
  if (value.empty() || !text::IsValidUtf8(value)) return false;
  size_t i = 0;
  while (i < value.size()) {
    size_t len = 1;
    if (IsDelimiter(text::DecodeOne(value, i, &len))) return false;
    i += len;
  }
  return true;
}

std::string FieldValue(std::string_view value) {
  return IsBareWord(value) ? std::string(value) : QuotedPhrase(value);
}

bool StartsWithMinus(std::string_view s) { return s.starts_with("-") || s.starts_with("\uFF0D"); }

void AppendQuery(const QueryNode& n, std::string* out);

// `n` as an operand of OR or NOT: AND and OR need parentheses there.
void AppendOperand(const QueryNode& n, std::string* out) {
  if (n.kind == Kind::kAnd || n.kind == Kind::kOr) {
    *out += '(';
    AppendQuery(n, out);
    *out += ')';
  } else {
    AppendQuery(n, out);
  }
}

void AppendQuery(const QueryNode& n, std::string* out) {
  switch (n.kind) {
    case Kind::kMatchAll:
      return;
    case Kind::kAnd:
      for (size_t i = 0; i < n.children.size(); ++i) {
        if (i > 0) *out += ' ';
        // OR binds tighter than AND, so only a nested AND needs parentheses.
        const QueryNode& c = n.children[i];
        if (c.kind == Kind::kAnd) {
          AppendOperand(c, out);
        } else {
          AppendQuery(c, out);
        }
      }
      return;
    case Kind::kOr:
      for (size_t i = 0; i < n.children.size(); ++i) {
        if (i > 0) *out += " OR ";
        AppendOperand(n.children[i], out);
      }
      return;
    case Kind::kNot: {
      *out += '-';
      const QueryNode& c = n.children[0];
      // After a minus, a word starting with a minus would not negate and a
      // nested minus would not be read as one: wrap them. OR right after a
      // minus is a word.
      if (c.kind == Kind::kText && c.value == "OR") {
        *out += "OR";
      } else if (c.kind == Kind::kNot || (c.kind == Kind::kText && StartsWithMinus(c.value))) {
        *out += '(';
        AppendQuery(c, out);
        *out += ')';
      } else {
        AppendOperand(c, out);
      }
      return;
    }
    case Kind::kText:
      // The word OR only comes from -OR, and from -(-OR) once the double
      // negation is gone; spell it so. Other words are printed as they
      // came. A word that is not bare cannot come from ParseQuery; quoting
      // keeps the text at least.
      if (n.value == "OR") {
        *out += "-(-OR)";
      } else {
        *out += IsBareWord(n.value) ? n.value : QuotedPhrase(n.value);
      }
      return;
    case Kind::kPhrase:
      *out += QuotedPhrase(n.value);
      return;
    case Kind::kRegion:
      *out += "region:" + FieldValue(n.value);
      return;
    case Kind::kSource:
      *out += "source:" + FieldValue(n.value);
      return;
    case Kind::kLevel:
      *out += "level:";
      *out += LevelSlug(n.level);
      return;
    case Kind::kType:
      *out += "type:";
      *out += report::ReportTypeName(n.type);
      return;
    case Kind::kYear:
      *out += "year:" + YearsText(n.years);
      return;
  }
}

}  // namespace

std::string_view LevelSlug(Level level) { return report::AdminLevelSlug(ToAdminLevel(level)); }

report::AdminLevel ToAdminLevel(Level level) {
  switch (level) {
    case Level::kNational:
      return report::AdminLevel::kNational;
    case Level::kProvince:
      return report::AdminLevel::kProvince;
    case Level::kPrefecture:
      return report::AdminLevel::kPrefecture;
    case Level::kCounty:
      return report::AdminLevel::kCounty;
  }
  return report::AdminLevel::kUnknown;
}

std::string QueryNode::ToString() const {
  std::string out;
  AppendDebug(*this, &out);
  return out;
}

std::string QueryNode::ToQuery() const {
  std::string out;
  AppendQuery(*this, &out);
  return out;
}

Result<QueryNode> ParseQuery(std::string_view query) {
  if (query.size() > kMaxQueryBytes) {
    return Status::InvalidArgument("查询过长：最多 " + std::to_string(kMaxQueryBytes) +
                                   " 字节（当前 " + std::to_string(query.size()) + " 字节）");
  }
  text::Decoded decoded;
  text::DecodeUtf8(query, &decoded);
  const std::span<const char32_t> chars = decoded.chars();
  for (size_t i = 0; i < chars.size(); ++i) {
    if (text::IsInvalidByteUnit(chars[i])) {
      return Status::InvalidArgument("查询编码错误：第 " + std::to_string(i + 1) +
                                     " 个字符处不是有效的 UTF-8");
    }
  }
  BAOGAO_ASSIGN_OR_RETURN(std::vector<Token> tokens, Lexer(query, decoded).Run());
  return Parser(std::move(tokens)).Run();
}

}  // namespace baogao::search

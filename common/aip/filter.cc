#include "common/aip/filter.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/aip/sql_identifier.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace umkm::aip {
namespace {

constexpr absl::string_view kField = "filter";

absl::Status FilterError(absl::string_view why) {
  return InvalidField(std::string(kField), std::string(why));
}

absl::Status ErrorAt(size_t pos, absl::string_view why) {
  return FilterError(absl::StrCat("at character ", pos + 1, ": ", why));
}

struct Token {
  enum class Kind {
    kEnd,
    kLeftParen,
    kRightParen,
    kAnd,
    kOr,
    kOp,
    kString,
    kNumber,
    kIdentifier
  };
  Kind kind = Kind::kEnd;
  size_t pos = 0;
  std::string text;  // identifier, unescaped string, number as written
  CompareOp op = CompareOp::kEq;
};

bool IsIdentStart(char c) {
  return absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool IsIdentChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         c == '.';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

class Lexer {
 public:
  explicit Lexer(absl::string_view text) : text_(text) {}

  absl::StatusOr<Token> Next() {
    while (pos_ < text_.size() &&
           absl::ascii_isspace(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
    }
    Token token;
    token.pos = pos_;
    if (pos_ == text_.size()) return token;
    const char c = text_[pos_];
    if (c == '(' || c == ')') {
      token.kind =
          c == '(' ? Token::Kind::kLeftParen : Token::Kind::kRightParen;
      ++pos_;
      return token;
    }
    if (c == '=' || c == '!' || c == '<' || c == '>') return Operator(token);
    if (c == '"') return String(token);
    if (IsDigit(c) ||
        (c == '-' && pos_ + 1 < text_.size() && IsDigit(text_[pos_ + 1]))) {
      return Number(token);
    }
    if (IsIdentStart(c)) return Identifier(token);
    if (c == ':') {
      return ErrorAt(pos_, "the ':' (has) operator is not supported");
    }
    if (c == '-') return ErrorAt(pos_, "negation with '-' is not supported");
    if (c == '\'') {
      return ErrorAt(pos_, "strings must be in double quotes");
    }
    return ErrorAt(pos_,
                   absl::StrCat("unexpected character '",
                                absl::CHexEscape(text_.substr(pos_, 1)), "'"));
  }

 private:
  absl::StatusOr<Token> Operator(Token token) {
    token.kind = Token::Kind::kOp;
    const char c = text_[pos_];
    const bool eq_next = pos_ + 1 < text_.size() && text_[pos_ + 1] == '=';
    switch (c) {
      case '=':
        token.op = CompareOp::kEq;
        break;
      case '!':
        if (!eq_next) return ErrorAt(pos_, "expected '!='");
        token.op = CompareOp::kNe;
        break;
      case '<':
        token.op = eq_next ? CompareOp::kLe : CompareOp::kLt;
        break;
      default:
        token.op = eq_next ? CompareOp::kGe : CompareOp::kGt;
        break;
    }
    pos_ += (c != '=' && eq_next) ? 2 : 1;
    return token;
  }

  absl::StatusOr<Token> String(Token token) {
    token.kind = Token::Kind::kString;
    ++pos_;  // opening quote
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return token;
      if (c != '\\') {
        token.text.push_back(c);
        continue;
      }
      if (pos_ == text_.size()) break;
      const char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
          token.text.push_back(e);
          break;
        case 'n':
          token.text.push_back('\n');
          break;
        case 'r':
          token.text.push_back('\r');
          break;
        case 't':
          token.text.push_back('\t');
          break;
        default:
          return ErrorAt(pos_ - 2,
                         "unsupported escape in string; use \\\", "
                         "\\\\, \\n, \\r or \\t");
      }
    }
    return ErrorAt(token.pos, "unterminated string");
  }

  absl::StatusOr<Token> Number(Token token) {
    token.kind = Token::Kind::kNumber;
    const size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    auto digits = [&] {
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    };
    digits();
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (pos_ == text_.size() || !IsDigit(text_[pos_])) {
        return ErrorAt(start, "malformed number");
      }
      digits();
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) {
        ++pos_;
      }
      if (pos_ == text_.size() || !IsDigit(text_[pos_])) {
        return ErrorAt(start, "malformed number");
      }
      digits();
    }
    if (pos_ < text_.size() && IsIdentChar(text_[pos_])) {
      return ErrorAt(start, "malformed number");
    }
    token.text = std::string(text_.substr(start, pos_ - start));
    return token;
  }

  absl::StatusOr<Token> Identifier(Token token) {
    const size_t start = pos_;
    while (pos_ < text_.size() && IsIdentChar(text_[pos_])) ++pos_;
    token.text = std::string(text_.substr(start, pos_ - start));
    if (token.text.back() == '.' ||
        token.text.find("..") != std::string::npos) {
      return ErrorAt(start, "malformed field name '" + token.text + "'");
    }
    if (token.text == "AND") {
      token.kind = Token::Kind::kAnd;
    } else if (token.text == "OR") {
      token.kind = Token::Kind::kOr;
    } else if (token.text == "NOT") {
      return ErrorAt(start, "NOT is not supported; use != or a comparison");
    } else {
      token.kind = Token::Kind::kIdentifier;
    }
    return token;
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

// Recursive descent over:
//   expr       := term { (AND | OR) term }   (one connective per level)
//   term       := '(' expr ')' | comparison
//   comparison := IDENTIFIER op value
class Parser {
 public:
  explicit Parser(absl::string_view text) : lexer_(text) {}

  absl::StatusOr<Filter> Parse() {
    UMKM_RETURN_IF_ERROR(Advance());
    Filter filter;
    if (token_.kind == Token::Kind::kEnd) return filter;
    UMKM_ASSIGN_OR_RETURN(FilterNode root, Expression(0));
    if (token_.kind != Token::Kind::kEnd) {
      return ErrorAt(token_.pos,
                     token_.kind == Token::Kind::kRightParen
                         ? "unbalanced ')'"
                         : "expected AND or OR between comparisons");
    }
    filter.root = std::move(root);
    return filter;
  }

 private:
  absl::Status Advance() {
    UMKM_ASSIGN_OR_RETURN(token_, lexer_.Next());
    return absl::OkStatus();
  }

  absl::StatusOr<FilterNode> Expression(int depth) {
    UMKM_ASSIGN_OR_RETURN(FilterNode first, Term(depth));
    if (token_.kind != Token::Kind::kAnd && token_.kind != Token::Kind::kOr) {
      return first;
    }
    const Token::Kind connective = token_.kind;
    FilterNode node;
    node.kind = connective == Token::Kind::kAnd ? FilterNode::Kind::kAnd
                                                : FilterNode::Kind::kOr;
    node.children.push_back(std::move(first));
    while (token_.kind == Token::Kind::kAnd ||
           token_.kind == Token::Kind::kOr) {
      if (token_.kind != connective) {
        return ErrorAt(token_.pos,
                       "mixing AND and OR needs parentheses, e.g. "
                       "a = 1 AND (b = 2 OR b = 3)");
      }
      UMKM_RETURN_IF_ERROR(Advance());
      UMKM_ASSIGN_OR_RETURN(FilterNode next, Term(depth));
      node.children.push_back(std::move(next));
    }
    return node;
  }

  absl::StatusOr<FilterNode> Term(int depth) {
    if (token_.kind == Token::Kind::kLeftParen) {
      if (depth >= kMaxFilterDepth) {
        return ErrorAt(
            token_.pos,
            absl::StrCat("parentheses nested deeper than ", kMaxFilterDepth));
      }
      const size_t open = token_.pos;
      UMKM_RETURN_IF_ERROR(Advance());
      UMKM_ASSIGN_OR_RETURN(FilterNode inner, Expression(depth + 1));
      if (token_.kind != Token::Kind::kRightParen) {
        return ErrorAt(open, "'(' is not closed");
      }
      UMKM_RETURN_IF_ERROR(Advance());
      return inner;
    }
    return ComparisonNode();
  }

  absl::StatusOr<FilterNode> ComparisonNode() {
    if (token_.kind != Token::Kind::kIdentifier) {
      return ErrorAt(token_.pos, token_.kind == Token::Kind::kEnd
                                     ? "expected a comparison, found the end"
                                     : "expected a field name");
    }
    if (++comparisons_ > kMaxFilterComparisons) {
      return ErrorAt(
          token_.pos,
          absl::StrCat("more than ", kMaxFilterComparisons, " comparisons"));
    }
    FilterNode node;
    node.comparison.field = std::move(token_.text);
    UMKM_RETURN_IF_ERROR(Advance());
    if (token_.kind != Token::Kind::kOp) {
      return ErrorAt(token_.pos,
                     absl::StrCat("expected one of = != < <= > >= after '",
                                  node.comparison.field, "'"));
    }
    node.comparison.op = token_.op;
    UMKM_RETURN_IF_ERROR(Advance());
    UMKM_ASSIGN_OR_RETURN(node.comparison.value, Value());
    UMKM_RETURN_IF_ERROR(Advance());
    return node;
  }

  absl::StatusOr<Literal> Value() {
    Literal literal;
    switch (token_.kind) {
      case Token::Kind::kString:
        literal.kind = Literal::Kind::kString;
        literal.text = std::move(token_.text);
        return literal;
      case Token::Kind::kIdentifier:
        literal.kind = Literal::Kind::kIdentifier;
        literal.text = std::move(token_.text);
        return literal;
      case Token::Kind::kNumber:
        if (token_.text.find_first_of(".eE") == std::string::npos) {
          literal.kind = Literal::Kind::kInteger;
          if (!absl::SimpleAtoi(token_.text, &literal.integer)) {
            return ErrorAt(token_.pos, "integer out of range");
          }
        } else {
          literal.kind = Literal::Kind::kNumber;
          if (!absl::SimpleAtod(token_.text, &literal.number) ||
              !std::isfinite(literal.number)) {
            return ErrorAt(token_.pos, "number out of range");
          }
        }
        return literal;
      default:
        return ErrorAt(token_.pos,
                       "expected a value: a \"string\", a number, "
                       "true, false or an enum value name");
    }
  }

  Lexer lexer_;
  Token token_;
  int comparisons_ = 0;
};

bool IsEquality(CompareOp op) {
  return op == CompareOp::kEq || op == CompareOp::kNe;
}

// "=", "= and !=", "=, < and >".
std::string OperatorList(const std::vector<CompareOp>& ops) {
  std::string out;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (i > 0) out += i + 1 == ops.size() ? " and " : ", ";
    // As written in filters: != where SQL says <>.
    absl::StrAppend(&out,
                    ops[i] == CompareOp::kNe ? "!=" : CompareOpSql(ops[i]));
  }
  return out;
}

absl::Status CheckOperatorAllowed(const FilterField& field, CompareOp op) {
  std::vector<CompareOp> allowed = field.operators;
  if (field.kind == FieldKind::kBool || field.kind == FieldKind::kEnum) {
    if (allowed.empty()) allowed = {CompareOp::kEq, CompareOp::kNe};
    std::erase_if(allowed, [](CompareOp o) { return !IsEquality(o); });
  }
  if (allowed.empty() ||
      std::find(allowed.begin(), allowed.end(), op) != allowed.end()) {
    return absl::OkStatus();
  }
  return FilterError(absl::StrCat("field '", field.name, "' supports only ",
                                  OperatorList(allowed)));
}

absl::StatusOr<SqlValue> Bind(const FilterField& field, const Comparison& c) {
  const Literal& v = c.value;
  auto wrong_type = [&](absl::string_view expected) {
    return FilterError(
        absl::StrCat("field '", field.name, "' needs ", expected));
  };
  switch (field.kind) {
    case FieldKind::kString:
      if (v.kind != Literal::Kind::kString) {
        return wrong_type("a double-quoted string");
      }
      return SqlValue(v.text);
    case FieldKind::kInt:
      if (v.kind != Literal::Kind::kInteger) return wrong_type("an integer");
      return SqlValue(v.integer);
    case FieldKind::kDouble:
      if (v.kind == Literal::Kind::kInteger) {
        return SqlValue(static_cast<double>(v.integer));
      }
      if (v.kind != Literal::Kind::kNumber) return wrong_type("a number");
      return SqlValue(v.number);
    case FieldKind::kBool:
      if (v.kind == Literal::Kind::kIdentifier &&
          (v.text == "true" || v.text == "false")) {
        return SqlValue(int64_t{v.text == "true" ? 1 : 0});
      }
      return wrong_type("true or false");
    case FieldKind::kEnum: {
      std::vector<absl::string_view> names;
      if (v.kind == Literal::Kind::kIdentifier ||
          v.kind == Literal::Kind::kString) {
        for (const auto& [name, value] : field.enum_values) {
          if (name == v.text) return value;
        }
      }
      for (const auto& entry : field.enum_values) names.push_back(entry.first);
      return wrong_type(absl::StrCat("one of ", absl::StrJoin(names, ", ")));
    }
  }
  return wrong_type("a known kind");  // unreachable: all kinds handled
}

absl::Status PersonalFilterDenied(const FilterField& field) {
  return WithReason(
      absl::PermissionDeniedError(absl::StrCat(
          "filtering on '", field.name,
          "' (personal data) needs a role that may see it in full")),
      kPersonalFilterDeniedReason, {{"field", field.name}});
}

absl::Status Translate(const FilterNode& node, const FilterSchema& schema,
                       absl::Span<const absl::string_view> personal_allowed,
                       SqlWhere& out) {
  if (node.kind == FilterNode::Kind::kComparison) {
    const Comparison& c = node.comparison;
    const FilterField* field = schema.Find(c.field);
    if (field == nullptr) {
      std::vector<absl::string_view> names;
      for (const FilterField& f : schema.fields()) names.push_back(f.name);
      return FilterError(absl::StrCat(
          "unknown field '", c.field,
          "'; filterable fields are: ", absl::StrJoin(names, ", ")));
    }
    if (field->personal) {
      if (std::find(personal_allowed.begin(), personal_allowed.end(),
                    field->name) == personal_allowed.end()) {
        return PersonalFilterDenied(*field);
      }
      if (std::find(out.personal_fields.begin(), out.personal_fields.end(),
                    field->name) == out.personal_fields.end()) {
        out.personal_fields.push_back(field->name);
      }
    }
    UMKM_RETURN_IF_ERROR(CheckOperatorAllowed(*field, c.op));
    SqlValue value;
    if (field->rewrite) {
      Comparison rewritten = c;
      UMKM_RETURN_IF_ERROR(field->rewrite(rewritten.value));
      UMKM_ASSIGN_OR_RETURN(value, Bind(*field, rewritten));
    } else {
      UMKM_ASSIGN_OR_RETURN(value, Bind(*field, c));
    }
    if (const std::optional<ValuesTable>& values = field->values_in) {
      absl::StrAppend(&out.sql, "EXISTS (SELECT 1 FROM ", values->table,
                      " WHERE ", values->table, ".", values->key, " = ",
                      values->row, " AND ", values->table, ".", field->column,
                      " ", CompareOpSql(c.op), " ?)");
    } else {
      absl::StrAppend(&out.sql, field->column, " ", CompareOpSql(c.op), " ?");
    }
    out.params.push_back(std::move(value));
    return absl::OkStatus();
  }
  const absl::string_view connective =
      node.kind == FilterNode::Kind::kAnd ? " AND " : " OR ";
  out.sql.push_back('(');
  for (size_t i = 0; i < node.children.size(); ++i) {
    if (i > 0) out.sql.append(connective.data(), connective.size());
    UMKM_RETURN_IF_ERROR(
        Translate(node.children[i], schema, personal_allowed, out));
  }
  out.sql.push_back(')');
  return absl::OkStatus();
}

}  // namespace

absl::string_view CompareOpSql(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "=";
    case CompareOp::kNe:
      return "<>";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLe:
      return "<=";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kGe:
      return ">=";
  }
  return "=";  // unreachable: all ops handled
}

absl::StatusOr<Filter> ParseFilter(absl::string_view filter) {
  if (filter.size() > kMaxFilterLength) {
    return FilterError(
        absl::StrCat("longer than ", kMaxFilterLength, " characters"));
  }
  return Parser(filter).Parse();
}

FilterSchema::FilterSchema(std::vector<FilterField> fields)
    : fields_(std::move(fields)) {
  for (const FilterField& field : fields_) {
    internal::CheckSqlIdentifier(field.column);
    if (field.values_in.has_value()) {
      internal::CheckSqlIdentifier(field.values_in->table);
      internal::CheckSqlIdentifier(field.values_in->key);
      internal::CheckSqlIdentifier(field.values_in->row);
    }
  }
}

const FilterField* FilterSchema::Find(absl::string_view name) const {
  for (const FilterField& field : fields_) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

absl::StatusOr<SqlWhere> ToSql(
    const Filter& filter, const FilterSchema& schema,
    absl::Span<const absl::string_view> personal_allowed) {
  SqlWhere out;
  if (filter.root.has_value()) {
    UMKM_RETURN_IF_ERROR(
        Translate(*filter.root, schema, personal_allowed, out));
  }
  return out;
}

absl::StatusOr<SqlWhere> CompileFilter(
    absl::string_view filter, const FilterSchema& schema,
    absl::Span<const absl::string_view> personal_allowed) {
  UMKM_ASSIGN_OR_RETURN(Filter parsed, ParseFilter(filter));
  return ToSql(parsed, schema, personal_allowed);
}

}  // namespace umkm::aip

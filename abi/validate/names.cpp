#include "validate/names.h"

#include <optional>

#include "util/trap.h"

namespace cm::validate {

namespace {

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// words ::= first-word ('-' word)*: lowercase letters and digits, first char a letter.
bool is_words(std::string_view s) {
  if (s.empty() || !is_lower(s[0])) return false;
  bool fragment_empty = false;
  for (char c : s) {
    if (c == '-') {
      if (fragment_empty) return false;
      fragment_empty = true;
    } else if (is_lower(c) || is_digit(c)) {
      fragment_empty = false;
    } else {
      return false;
    }
  }
  return !fragment_empty;
}

std::string quoted(std::string_view s) { return "`" + std::string(s) + "`"; }

[[noreturn]] void invalid_name(std::string_view name, const std::string& why, size_t offset) {
  throw CompileError(offset, quoted(name) + " is not a valid extern name: " + why);
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Numeric semver identifier: 0 or no leading zero.
bool parse_number(std::string_view s, size_t& i, const char* what, std::string& err) {
  if (i >= s.size()) {
    err = std::string("unexpected end of input while parsing ") + what;
    return false;
  }
  if (!is_digit(s[i])) {
    err = std::string("unexpected character '") + s[i] + "' while parsing " + what;
    return false;
  }
  size_t start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (s[start] == '0' && i - start > 1) {
    err = std::string("invalid leading zero in ") + what;
    return false;
  }
  return true;
}

// dot-separated identifiers of [0-9A-Za-z-]; numeric pre-release identifiers have no
// leading zero.
bool parse_identifiers(std::string_view s, bool pre_release, const char* what, std::string& err) {
  size_t i = 0;
  while (true) {
    size_t start = i;
    bool numeric = true;
    while (i < s.size() && s[i] != '.') {
      char c = s[i];
      if (!(is_lower(c) || is_upper(c) || is_digit(c) || c == '-')) {
        err = std::string("unexpected character '") + c + "' in " + what;
        return false;
      }
      if (!is_digit(c)) numeric = false;
      ++i;
    }
    if (i == start) {
      err = std::string("empty identifier segment in ") + what;
      return false;
    }
    if (pre_release && numeric && s[start] == '0' && i - start > 1) {
      err = std::string("invalid leading zero in ") + what;
      return false;
    }
    if (i == s.size()) return true;
    ++i;  // '.'
  }
}

}  // namespace

bool is_kebab_label(std::string_view s) {
  if (s.empty() || !(is_lower(s[0]) || is_upper(s[0]))) return false;
  size_t i = 0;
  while (true) {
    size_t start = i;
    bool lower = false, upper = false;
    while (i < s.size() && s[i] != '-') {
      char c = s[i];
      if (is_lower(c)) lower = true;
      else if (is_upper(c)) upper = true;
      else if (!is_digit(c)) return false;
      ++i;
    }
    if (i == start || (lower && upper)) return false;
    if (i == s.size()) return true;
    ++i;  // '-'
  }
}

std::string semver_error(std::string_view s) {
  if (s.empty()) return "empty string, expected a semver version";
  std::string err;
  size_t i = 0;
  if (!parse_number(s, i, "major version number", err)) return err;
  if (i >= s.size()) return "unexpected end of input while parsing major version number";
  if (s[i] != '.') return std::string("unexpected character '") + s[i] + "' after major version number";
  ++i;
  if (!parse_number(s, i, "minor version number", err)) return err;
  if (i >= s.size()) return "unexpected end of input while parsing minor version number";
  if (s[i] != '.') return std::string("unexpected character '") + s[i] + "' after minor version number";
  ++i;
  if (!parse_number(s, i, "patch version number", err)) return err;
  if (i == s.size()) return "";
  std::string_view rest = s.substr(i);
  size_t plus = rest.find('+');
  std::string_view pre = plus == std::string_view::npos ? rest : rest.substr(0, plus);
  if (!pre.empty()) {
    if (pre[0] != '-') return std::string("unexpected character '") + pre[0] + "' after patch version number";
    if (!parse_identifiers(pre.substr(1), true, "pre-release identifier", err)) return err;
  }
  if (plus != std::string_view::npos) {
    if (!parse_identifiers(rest.substr(plus + 1), false, "build metadata", err)) return err;
  }
  return "";
}

ExternNameInfo parse_extern_name(std::string_view name, size_t offset) {
  ExternNameInfo info;
  if (!name.empty() && name[0] == '[') {
    auto strip = [&](std::string_view prefix) -> std::optional<std::string_view> {
      if (name.substr(0, prefix.size()) == prefix) return name.substr(prefix.size());
      return std::nullopt;
    };
    if (auto rest = strip("[constructor]")) {
      if (!is_kebab_label(*rest)) invalid_name(name, quoted(*rest) + " is not in kebab case", offset);
      info.kind = ExternNameInfo::Kind::Constructor;
      info.resource = std::string(*rest);
      return info;
    }
    bool method = false;
    std::optional<std::string_view> rest = strip("[method]");
    if (rest) method = true;
    else rest = strip("[static]");
    if (!rest) invalid_name(name, "unknown annotation", offset);
    size_t dot = rest->find('.');
    if (dot == std::string_view::npos) invalid_name(name, "failed to find `.` character", offset);
    std::string_view resource = rest->substr(0, dot), label = rest->substr(dot + 1);
    if (!is_kebab_label(resource)) invalid_name(name, quoted(resource) + " is not in kebab case", offset);
    if (!is_kebab_label(label)) invalid_name(name, quoted(label) + " is not in kebab case", offset);
    info.kind = method ? ExternNameInfo::Kind::Method : ExternNameInfo::Kind::Static;
    info.resource = std::string(resource);
    info.label = std::string(label);
    return info;
  }
  size_t colon = name.find(':');
  if (colon == std::string_view::npos) {
    if (!is_kebab_label(name)) invalid_name(name, quoted(name) + " is not in kebab case", offset);
    info.kind = ExternNameInfo::Kind::Label;
    info.label = std::string(name);
    return info;
  }
  // interfacename ::= namespace ':' package '/' label ('@' version)?
  std::string_view ns = name.substr(0, colon);
  if (!is_words(ns)) invalid_name(name, quoted(ns) + " is not in kebab case", offset);
  std::string_view rest = name.substr(colon + 1);
  size_t end_pkg = 0;
  while (end_pkg < rest.size() && rest[end_pkg] != '/' && rest[end_pkg] != ':' && rest[end_pkg] != '@') ++end_pkg;
  std::string_view package = rest.substr(0, end_pkg);
  if (!is_words(package)) invalid_name(name, quoted(package) + " is not in kebab case", offset);
  if (end_pkg == rest.size() || rest[end_pkg] != '/')
    invalid_name(name, "expected `/` after package name", offset);
  rest = rest.substr(end_pkg + 1);
  size_t end_iface = 0;
  while (end_iface < rest.size() && rest[end_iface] != '@' && rest[end_iface] != '/') ++end_iface;
  std::string_view iface = rest.substr(0, end_iface);
  if (!is_kebab_label(iface)) invalid_name(name, quoted(iface) + " is not in kebab case", offset);
  rest = rest.substr(end_iface);
  if (!rest.empty() && rest[0] == '/') invalid_name(name, "trailing characters found: " + quoted(rest), offset);
  info.kind = ExternNameInfo::Kind::Interface;
  info.interface_without_version = std::string(name.substr(0, name.size() - rest.size()));
  if (!rest.empty()) {  // '@' version
    std::string_view version = rest.substr(1);
    std::string err = semver_error(version);
    if (!err.empty()) invalid_name(name, err, offset);
    info.version = std::string(version);
  }
  return info;
}

void check_interface_name(std::string_view name, size_t offset) {
  if (name.empty()) throw CompileError(offset, "`` is not a valid name");
  ExternNameInfo info = parse_extern_name(name, offset);
  if (info.kind != ExternNameInfo::Kind::Interface)
    throw CompileError(offset, quoted(name) + " must be an interface name");
}

void check_version_suffix(const ExternNameInfo& name, std::string_view suffix, size_t offset) {
  // canonversion ::= [1-9][0-9]* | '0.' [1-9][0-9]* | '0.0.' [1-9][0-9]* | '0.0.0'
  const std::string& v = name.version;
  bool canon = false;
  if (name.kind == ExternNameInfo::Kind::Interface && !v.empty()) {
    auto digits_nz = [](std::string_view s) {
      if (s.empty() || s[0] == '0') return false;
      for (char c : s)
        if (!is_digit(c)) return false;
      return true;
    };
    std::string_view sv(v);
    canon = digits_nz(sv) || (sv.substr(0, 2) == "0." && digits_nz(sv.substr(2))) ||
            (sv.substr(0, 4) == "0.0." && digits_nz(sv.substr(4))) || sv == "0.0.0";
  }
  if (!canon)
    throw CompileError(offset, "a `versionsuffix` requires a name with a canonical interface version");
  std::string full = v + std::string(suffix);
  std::string err = semver_error(full);
  if (!err.empty()) throw CompileError(offset, "version " + quoted(full) + " is not a valid semver: " + err);
}

std::string strongly_unique_key(std::string_view name, const ExternNameInfo& info) {
  switch (info.kind) {
    case ExternNameInfo::Kind::Method:
    case ExternNameInfo::Kind::Static: {
      std::string r = lowercase(info.resource), l = lowercase(info.label);
      return r == l ? l : r + "." + l;
    }
    default:
      return lowercase(name);
  }
}

void check_label(std::string_view label, const char* what, size_t offset) {
  if (label.empty()) throw CompileError(offset, std::string(what) + " name cannot be empty");
  if (!is_kebab_label(label))
    throw CompileError(offset, std::string(what) + " name " + quoted(label) + " is not in kebab case");
}

}  // namespace cm::validate

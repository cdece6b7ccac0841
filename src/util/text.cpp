// Splitting and number parsing (see text.hpp).
#include "parcae/util/text.hpp"

#include <charconv>
#include <cstdint>

#include "parcae/error.hpp"

namespace parcae::util {

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> fields;
  while (true) {
    const auto at = text.find(separator);
    fields.emplace_back(trim(text.substr(0, at)));
    if (at == std::string_view::npos) return fields;
    text.remove_prefix(at + 1);
  }
}

std::vector<std::string> parse_list(std::string_view text, const std::string& what,
                                    char separator) {
  if (trim(text).empty()) throw InputError(what + ": empty list");
  auto items = split(text, separator);
  for (const auto& item : items) {
    if (item.empty()) {
      throw InputError(what + ": empty item in '" + std::string(text) +
                       "' (items are separated by '" + std::string(1, separator) + "')");
    }
  }
  return items;
}

template <typename T>
std::optional<T> parse_number(std::string_view text) {
  T value{};
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

template std::optional<int> parse_number<int>(std::string_view);
template std::optional<long> parse_number<long>(std::string_view);
template std::optional<long long> parse_number<long long>(std::string_view);
template std::optional<unsigned> parse_number<unsigned>(std::string_view);
template std::optional<unsigned long> parse_number<unsigned long>(std::string_view);
template std::optional<unsigned long long> parse_number<unsigned long long>(std::string_view);
template std::optional<double> parse_number<double>(std::string_view);
template std::optional<float> parse_number<float>(std::string_view);

namespace {
template <typename T>
std::string shortest_of(T value) {
  char buf[64];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, ptr);
}
}  // namespace

std::string shortest(double value) { return shortest_of(value); }
std::string shortest(float value) { return shortest_of(value); }

}  // namespace parcae::util

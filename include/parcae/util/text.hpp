#pragma once
// Splitting, trimming and number parsing for every reader and option of the
// tree: one strict grammar, so "12x" or "1e3" for a count, a stray comma or a
// number out of its type's range is refused the same way everywhere.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parcae::util {

// Spaces, tabs and carriage returns removed from both ends.
std::string_view trim(std::string_view text);

// Every field between separators, trimmed, empty ones kept ("a,,b" -> a, "", b;
// "" -> one empty field): CSV rows and the like, where a missing cell is an error
// the caller names.
std::vector<std::string> split(std::string_view text, char separator);

// A list option ("1,2,4", "ideal,reactive"): the trimmed items. Throws
// InputError("WHAT: ...") for an empty list or an empty item ("a,,b", ",").
std::vector<std::string> parse_list(std::string_view text, const std::string& what,
                                    char separator = ',');

// The whole of `text` as a T, or nullopt: std::from_chars's grammar (no locale,
// no leading '+' or spaces, nothing after the number), in T's range. Integers
// take no exponent or fraction, unsigned ones no sign; a double may be "nan"
// or "inf" (callers that need a finite value check it).
template <typename T>
std::optional<T> parse_number(std::string_view text);

// The shortest text that reads back as exactly `value` ("0.1", "0.9", "1e-08",
// "3"), as a person would write it: help texts and messages print numbers so.
std::string shortest(double value);
std::string shortest(float value);

}  // namespace parcae::util

#pragma once
// Numeric options with a finite, documented range, checked as they are parsed:
//
//   ("steps", number(closed(1, 10'000'000))->default_value(50), "optimizer steps")
//
// prints as `--steps [1, 10000000] (=50)` in --help, and refuses "nan", "inf",
// "-1", "1e18", "12x" or 2^63 with exit 2 and "--steps: '0' is outside
// [1, 10000000]" (on the command line and in --config files alike), before any
// work starts. The text is read by the tree's one number grammar
// (util::parse_number: no wrap-around of "-1" into an unsigned, no exponent in
// a count), and defaults print as a person wrote them (0.1, not
// 0.10000000000000001).
#include <boost/program_options.hpp>
#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "parcae/util/text.hpp"

namespace parcae::cli {

template <typename T>
struct Range {
  T lo{}, hi{};
  bool lo_open = false, hi_open = false;

  bool contains(T v) const {
    if constexpr (std::is_floating_point_v<T>) {
      if (!std::isfinite(v)) return false;
    }
    return (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
  }
  std::string text() const {
    return std::string(lo_open ? "(" : "[") + format(lo) + ", " + format(hi) +
           (hi_open ? ")" : "]");
  }
  static std::string format(T v) {
    if constexpr (std::is_floating_point_v<T>) {
      return util::shortest(v);
    } else {
      return std::to_string(v);
    }
  }
};

// [lo, hi], (lo, hi], [lo, hi)
template <typename T>
Range<T> closed(T lo, T hi) {
  return {lo, hi, false, false};
}
template <typename T>
Range<T> open_closed(T lo, T hi) {
  return {lo, hi, true, false};
}
template <typename T>
Range<T> closed_open(T lo, T hi) {
  return {lo, hi, false, true};
}

// Ranges several commands share: a trace interval from a millisecond to a day,
// and hours into a trace (about eleven years).
inline constexpr Range<double> kIntervalSeconds{0.001, 86400.0};
inline constexpr Range<double> kTraceHours{0.0, 100000.0};
inline constexpr Range<double> kTraceEndHours{0.0, 100000.0, true, false};  // an end after 0
// The liveput options: instances of a cluster, the optimizer's look-ahead in
// intervals (a day of minutes), costs in milliseconds (about eleven days) and
// sizes in bytes (a petabyte).
inline constexpr int kMaxInstances = 2048;
inline constexpr Range<int> kLookAhead{1, 1440};
inline constexpr Range<double> kMillis{0.0, 1e9};
inline constexpr Range<double> kBytes{0.0, 1e15};

// "--OPTION: ..." with boost's name for the option filled in where it is
// detected (the command line's --name, or the key of a --config file).
class BadNumber : public boost::program_options::error_with_option_name {
 public:
  explicit BadNumber(const std::string& message)
      : error_with_option_name("%canonical_option%: " + message) {}
};

template <typename T>
class NumberValue final : public boost::program_options::typed_value<T> {
 public:
  explicit NumberValue(Range<T> range)
      : boost::program_options::typed_value<T>(nullptr), range_(range) {
    this->value_name(range.text());
  }

  // The default, printed in its shortest exact form; it must lie in the range.
  NumberValue* default_value(const T& v) {
    if (!range_.contains(v))
      throw std::logic_error("default " + Range<T>::format(v) + " outside " + range_.text());
    boost::program_options::typed_value<T>::default_value(v, Range<T>::format(v));
    return this;
  }

  void xparse(boost::any& store, const std::vector<std::string>& tokens) const override {
    namespace pv = boost::program_options::validators;
    pv::check_first_occurrence(store);
    const std::string& text = pv::get_single_string(tokens);
    const auto value = util::parse_number<T>(text);
    if (!value) {
      throw BadNumber("'" + text + "' is not " +
                      (std::is_floating_point_v<T> ? "a number" : "a whole number") + " in " +
                      range_.text());
    }
    if (!range_.contains(*value)) throw BadNumber("'" + text + "' is outside " + range_.text());
    store = boost::any(*value);
  }

 private:
  Range<T> range_;
};

template <typename T>
NumberValue<T>* number(Range<T> range) {
  return new NumberValue<T>(range);
}

}  // namespace parcae::cli

#pragma once
// Order statistics of timings and errors. One definition for the whole tree,
// so every figure called a median means the same thing.
#include <vector>

namespace parcae::util {

// The q-quantile (q in [0, 1]) with linear interpolation between the two
// nearest order statistics (numpy's default): for n values sorted as x_0..x_{n-1}
// it is x_{q(n-1)}, interpolated. Throws std::invalid_argument for no values or
// a q outside [0, 1].
double quantile(std::vector<double> values, double q);

// quantile(values, 0.5): the middle value, or the mean of the two middle ones
// for an even count.
double median(std::vector<double> values);

}  // namespace parcae::util

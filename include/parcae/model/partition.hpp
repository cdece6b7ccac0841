#pragma once
// The partitioner: the model's layers (embedding, L blocks, head) split into P
// contiguous stages, balanced by per-layer cost (measured or estimated), so that
// the slowest stage, which sets the pipeline's pace, is as fast as it can be.
#include <span>
#include <string>
#include <vector>

namespace parcae::model {

struct StageRange {
  int first_layer = 0;  // inclusive
  int end_layer = 0;    // exclusive
  int size() const { return end_layer - first_layer; }
  bool operator==(const StageRange&) const = default;
};

// Minimises the largest stage cost exactly (dynamic program over split points,
// O(P * layers^2)); among optimal splits it takes the one whose earlier stages
// are as long as possible, a fixed rule so every rank computes the same answer.
// Every stage gets at least one layer, so the embedding lands on the first stage
// and the head on the last. Throws InputError unless 1 <= P <= layers.
std::vector<StageRange> partition_layers(std::span<const double> layer_costs, int stages);

// The cost of the slowest stage of a partition.
double bottleneck(std::span<const double> layer_costs, std::span<const StageRange> stages);

}  // namespace parcae::model

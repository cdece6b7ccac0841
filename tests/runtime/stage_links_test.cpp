// Which link sums a data group's gradients (stage_links.hpp): NCCL only when
// every member computes on a GPU of its own, MPI on the CPU, the host between.
#include "parcae/runtime/stage_links.hpp"

#include <gtest/gtest.h>

namespace parcae::runtime {
namespace {

using compute::Device;

const DeviceSeat kGpu0{"node-a", "0000:3b:00.0"};
const DeviceSeat kGpu1{"node-a", "0000:5e:00.0"};
const DeviceSeat kOtherNodeGpu0{"node-b", "0000:3b:00.0"};
const DeviceSeat kCpu{"node-a", ""};

TEST(StageLinks, CpuRanksSumOverPlainMpi) {
  EXPECT_EQ(choose_data_link(Device::cpu, {kCpu, kCpu}, true), DataLink::mpi);
  // Even beside GPU members: a CPU rank's MPI meets their host-staged sums.
  EXPECT_EQ(choose_data_link(Device::cpu, {kCpu, kGpu0}, true), DataLink::mpi);
  EXPECT_EQ(choose_data_link(Device::cpu, {}, true), DataLink::mpi);
}

TEST(StageLinks, GpusOfTheirOwnSumWithNccl) {
  EXPECT_EQ(choose_data_link(Device::cuda, {kGpu0, kGpu1}, true), DataLink::nccl);
  // The same bus id on two nodes is two cards.
  EXPECT_EQ(choose_data_link(Device::cuda, {kGpu0, kOtherNodeGpu0, kGpu1}, true), DataLink::nccl);
}

TEST(StageLinks, SharedGpuCpuMemberOrNoNcclGoThroughTheHost) {
  EXPECT_EQ(choose_data_link(Device::cuda, {kGpu0, kGpu1, kGpu0}, true), DataLink::host_staged);
  EXPECT_EQ(choose_data_link(Device::cuda, {kGpu0, kCpu}, true), DataLink::host_staged);
  EXPECT_EQ(choose_data_link(Device::cuda, {kGpu0, kGpu1}, false), DataLink::host_staged);
}

TEST(StageLinks, ALoneReplicaMakesNoNcclCommunicator) {
  EXPECT_EQ(choose_data_link(Device::cuda, {kGpu0}, true), DataLink::host_staged);
  EXPECT_EQ(choose_data_link(Device::cuda, {}, true), DataLink::host_staged);
}

TEST(StageLinks, LinksHaveNames) {
  EXPECT_EQ(to_string(DataLink::mpi), "mpi");
  EXPECT_EQ(to_string(DataLink::host_staged), "host-staged");
  EXPECT_EQ(to_string(DataLink::nccl), "nccl");
}

}  // namespace
}  // namespace parcae::runtime

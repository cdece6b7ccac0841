// Spawning new workers into a running job (see join.hpp).
#include "parcae/elastic/join.hpp"

#include <stdexcept>

#include "parcae/runtime/membership.hpp"

namespace parcae::elastic {
namespace {

std::string error_text(int rc) {
  char text[MPI_MAX_ERROR_STRING];
  int n = 0;
  MPI_Error_string(rc, text, &n);
  return std::string(text, n);
}

std::string listed(const std::vector<std::string>& hosts) {
  std::string out;
  for (const auto& h : hosts) out += (out.empty() ? "" : ",") + (h.empty() ? "(any)" : h);
  return out;
}

}  // namespace

bool spawned_as_joiner() {
  MPI_Comm parent = MPI_COMM_NULL;
  MPI_Comm_get_parent(&parent);
  return parent != MPI_COMM_NULL;
}

std::vector<std::string> hosts_for_joiners(const std::vector<std::string>& hosts, int first,
                                           int count) {
  std::vector<std::string> out;
  for (int i = first; i < first + count; ++i)
    out.push_back(hosts.empty() ? std::string() : hosts[static_cast<std::size_t>(i) % hosts.size()]);
  return out;
}

// The tag MPI_Intercomm_create's two leaders use on the bridge (nothing else
// travels there).
constexpr int kBridgeTag = 9060;

bool Joins::start(const std::string& program, const std::vector<std::string>& args,
                  const std::vector<std::string>& hosts, double deadline_s, std::string* error) {
  const int count = static_cast<int>(hosts.size());
  // One command per joiner, so each gets exactly its host.
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> commands(count, const_cast<char*>(program.c_str()));
  std::vector<char**> argvs(count, argv.data());
  std::vector<int> one_each(count, 1);
  std::vector<MPI_Info> infos(count);
  for (int i = 0; i < count; ++i) {
    MPI_Info_create(&infos[i]);
    if (!hosts[i].empty()) MPI_Info_set(infos[i], "host", hosts[i].c_str());
  }
  MPI_Comm spawned = MPI_COMM_NULL;
  std::vector<int> codes(count, MPI_SUCCESS);
  MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
  int rc = MPI_SUCCESS;
  {
    const runtime::BlockingDeadline deadline(deadline_s,
                                             "spawning " + std::to_string(count) + " joiners");
    rc = MPI_Comm_spawn_multiple(count, commands.data(), argvs.data(), one_each.data(),
                                 infos.data(), 0, MPI_COMM_SELF, &spawned, codes.data());
  }
  for (auto& info : infos) MPI_Info_free(&info);
  if (rc != MPI_SUCCESS || spawned == MPI_COMM_NULL) {
    *error = "could not spawn " + std::to_string(count) + " joining worker" +
             (count > 1 ? "s" : "") + " on host(s) " + listed(hosts) + ": " + error_text(rc);
    return false;
  }
  MPI_Comm_set_errhandler(spawned, MPI_ERRORS_RETURN);
  started_ = Join{spawned};
  {
    const runtime::BlockingDeadline deadline(deadline_s, "merging with the spawned workers");
    MPI_Intercomm_merge(spawned, 0, &started_.bridge);
  }
  return true;
}

MPI_Comm Joins::connect(MPI_Comm local, MPI_Comm bridge, int remote_leader, bool high,
                        double deadline_s, Join join) {
  {
    const runtime::BlockingDeadline deadline(deadline_s, "connecting the joined workers");
    MPI_Intercomm_create(local, 0, bridge, remote_leader, kBridgeTag, &join.inter);
    MPI_Intercomm_merge(join.inter, high ? 1 : 0, &join.merged);
  }
  MPI_Comm_set_errhandler(join.inter, MPI_ERRORS_RETURN);
  MPI_Comm_set_errhandler(join.merged, MPI_ERRORS_RETURN);
  join.before = local;
  joins_.push_back(join);
  return join.merged;
}

MPI_Comm Joins::take_in(MPI_Comm living, double deadline_s) {
  int rank = 0;
  MPI_Comm_rank(living, &rank);
  if (rank == 0 && started_.bridge == MPI_COMM_NULL)
    throw std::logic_error("join: taking in workers that were not started");
  const Join join = rank == 0 ? started_ : Join{};
  started_ = Join{};
  // The bridge's rank 1 is the first joiner (rank 0 merged low).
  return connect(living, join.bridge, 1, /*high=*/false, deadline_s, join);
}

MPI_Comm Joins::merge_with_parent(double deadline_s) {
  MPI_Comm parent = MPI_COMM_NULL;
  MPI_Comm_get_parent(&parent);
  if (parent == MPI_COMM_NULL) throw std::logic_error("join: this process was not spawned");
  MPI_Comm_set_errhandler(parent, MPI_ERRORS_RETURN);
  Join join{parent};
  {
    const runtime::BlockingDeadline deadline(deadline_s, "merging with the job's rank 0");
    MPI_Intercomm_merge(parent, 1, &join.bridge);
  }
  // The joiners of one spawn share their MPI_COMM_WORLD; rank 0 is the bridge's 0.
  return connect(MPI_COMM_WORLD, join.bridge, 0, /*high=*/true, deadline_s, join);
}

MPI_Comm Joins::leave() {
  MPI_Comm before = MPI_COMM_NULL;
  while (joins_.size() > forsaken_) {
    Join& join = joins_.back();
    before = join.before;
    MPI_Comm_free(&join.merged);
    MPI_Comm_disconnect(&join.inter);
    if (join.bridge != MPI_COMM_NULL) MPI_Comm_free(&join.bridge);
    if (join.spawned != MPI_COMM_NULL) MPI_Comm_disconnect(&join.spawned);
    joins_.pop_back();
  }
  return before;
}

}  // namespace parcae::elastic

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

MPI_Comm Joins::merge(MPI_Comm inter, bool high, MPI_Comm before, double deadline_s) {
  MPI_Comm merged = MPI_COMM_NULL;
  {
    const runtime::BlockingDeadline deadline(deadline_s, "merging with the joined workers");
    MPI_Intercomm_merge(inter, high ? 1 : 0, &merged);
  }
  MPI_Comm_set_errhandler(merged, MPI_ERRORS_RETURN);
  joins_.push_back({inter, merged, before});
  return merged;
}

MPI_Comm Joins::spawn(MPI_Comm world, const std::string& program,
                      const std::vector<std::string>& args, const std::vector<std::string>& hosts,
                      double deadline_s) {
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
  MPI_Comm inter = MPI_COMM_NULL;
  std::vector<int> codes(count, MPI_SUCCESS);
  MPI_Errhandler previous;
  MPI_Comm_get_errhandler(world, &previous);
  MPI_Comm_set_errhandler(world, MPI_ERRORS_RETURN);
  int rc = MPI_SUCCESS;
  {
    const runtime::BlockingDeadline deadline(deadline_s,
                                             "spawning " + std::to_string(count) + " joiners");
    rc = MPI_Comm_spawn_multiple(count, commands.data(), argvs.data(), one_each.data(),
                                 infos.data(), 0, world, &inter, codes.data());
  }
  MPI_Comm_set_errhandler(world, previous);
  MPI_Errhandler_free(&previous);
  for (auto& info : infos) MPI_Info_free(&info);
  if (rc != MPI_SUCCESS || inter == MPI_COMM_NULL) {
    throw std::runtime_error("could not spawn " + std::to_string(count) + " joining worker" +
                             (count > 1 ? "s" : "") + " on host(s) " + listed(hosts) + ": " +
                             error_text(rc));
  }
  MPI_Comm_set_errhandler(inter, MPI_ERRORS_RETURN);
  return merge(inter, /*high=*/false, world, deadline_s);
}

MPI_Comm Joins::merge_with_parent(double deadline_s) {
  MPI_Comm parent = MPI_COMM_NULL;
  MPI_Comm_get_parent(&parent);
  if (parent == MPI_COMM_NULL) throw std::logic_error("join: this process was not spawned");
  MPI_Comm_set_errhandler(parent, MPI_ERRORS_RETURN);
  return merge(parent, /*high=*/true, MPI_COMM_WORLD, deadline_s);
}

MPI_Comm Joins::leave() {
  MPI_Comm before = MPI_COMM_NULL;
  while (joins_.size() > forsaken_) {
    before = joins_.back().before;
    MPI_Comm_free(&joins_.back().merged);
    MPI_Comm_disconnect(&joins_.back().inter);
    joins_.pop_back();
  }
  return before;
}

}  // namespace parcae::elastic

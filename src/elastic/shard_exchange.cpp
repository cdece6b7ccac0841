// Shards rank to rank over MPI (see shard_exchange.hpp).
#include "parcae/elastic/shard_exchange.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <limits>
#include <memory>
#include <stdexcept>

#include "parcae/model/layers.hpp"

namespace parcae::elastic {
namespace {

// Migration messages on the world communicator: tags kShardTag + epoch mod
// kEpochTags, so messages of an epoch given up (a rank died mid-migration)
// never match the receives of a later one.
constexpr int kShardTag = 7100;
constexpr int kEpochTags = 1000;
constexpr int kHeaderWords = 4;  // layer, step, floats per buffer, checksum

int count_of(std::size_t n) {
  if (n > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw std::length_error("shard of more than 2^31 floats");
  }
  return static_cast<int>(n);
}

const model::Shard& find_held(std::span<const model::Shard> held, int layer) {
  for (const auto& s : held) {
    if (s.layer == layer) return s;
  }
  throw std::logic_error("migration: asked to send layer " + std::to_string(layer) +
                         ", which this rank does not hold");
}

// The ranks this rank sends to or receives from, once each.
std::vector<int> partners_of(const MigrationPlan& plan, int me) {
  std::vector<int> out;
  for (const auto& t : plan.transfers) {
    if (t.from == me) out.push_back(t.to);
    if (t.to == me) out.push_back(t.from);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

struct Incoming {
  std::int64_t header[kHeaderWords] = {};
  model::Shard shard;
  int from = 0;
};

}  // namespace

std::vector<model::Shard> exchange_shards(MPI_Comm comm, const MigrationPlan& plan,
                                          std::span<const model::Shard> held,
                                          const model::GptConfig& cfg, ExchangeStats* stats,
                                          const runtime::Patience* patience, std::int64_t epoch) {
  const auto start = std::chrono::steady_clock::now();
  const int tag = kShardTag + static_cast<int>(epoch % kEpochTags);
  int me = 0;
  MPI_Comm_rank(comm, &me);
  // Everything MPI reads or writes lives on the heap: when the wait is given
  // up (a rank died), the requests stay in flight and this is leaked for them.
  struct InFlight {
    std::vector<MPI_Request> requests;
    std::vector<std::array<std::int64_t, kHeaderWords>> headers;  // stable while in flight
    std::vector<Incoming> incoming;
  };
  auto flight = std::make_unique<InFlight>();
  auto& requests = flight->requests;
  auto& headers = flight->headers;
  auto& incoming = flight->incoming;
  ExchangeStats local;
  headers.reserve(plan.transfers.size());
  incoming.reserve(plan.transfers.size());
  for (const auto& t : plan.transfers) {
    if (t.to == me) {
      Incoming in;
      in.from = t.from;
      const auto n = static_cast<std::size_t>(model::layer_spec(cfg, t.layer).size);
      in.shard.layer = t.layer;
      in.shard.param.resize(n);
      in.shard.adam_m.resize(n);
      in.shard.adam_v.resize(n);
      incoming.push_back(std::move(in));
    }
  }
  std::size_t next_in = 0;
  for (const auto& t : plan.transfers) {
    if (t.from == me) {
      const model::Shard& s = find_held(held, t.layer);
      headers.push_back({s.layer, s.step, static_cast<std::int64_t>(s.param.size()),
                         static_cast<std::int64_t>(s.checksum())});
      requests.resize(requests.size() + 4);
      auto* r = &requests[requests.size() - 4];
      MPI_Isend(headers.back().data(), kHeaderWords, MPI_INT64_T, t.to, tag, comm, &r[0]);
      const int n = count_of(s.param.size());
      MPI_Isend(s.param.data(), n, MPI_FLOAT, t.to, tag, comm, &r[1]);
      MPI_Isend(s.adam_m.data(), n, MPI_FLOAT, t.to, tag, comm, &r[2]);
      MPI_Isend(s.adam_v.data(), n, MPI_FLOAT, t.to, tag, comm, &r[3]);
      local.bytes_sent += static_cast<std::int64_t>(3 * s.param.size() * sizeof(float));
    }
    if (t.to == me) {
      Incoming& in = incoming[next_in++];
      requests.resize(requests.size() + 4);
      auto* r = &requests[requests.size() - 4];
      const int n = count_of(in.shard.param.size());
      MPI_Irecv(in.header, kHeaderWords, MPI_INT64_T, t.from, tag, comm, &r[0]);
      MPI_Irecv(in.shard.param.data(), n, MPI_FLOAT, t.from, tag, comm, &r[1]);
      MPI_Irecv(in.shard.adam_m.data(), n, MPI_FLOAT, t.from, tag, comm, &r[2]);
      MPI_Irecv(in.shard.adam_v.data(), n, MPI_FLOAT, t.from, tag, comm, &r[3]);
      local.bytes_received += static_cast<std::int64_t>(3 * in.shard.param.size() * sizeof(float));
    }
  }
  try {
    runtime::wait_politely(requests, patience, partners_of(plan, me));
  } catch (...) {
    (void)flight.release();  // still in flight: see InFlight
    throw;
  }

  std::vector<model::Shard> received;
  for (auto& in : incoming) {
    in.shard.step = in.header[1];
    const bool whole = in.header[0] == in.shard.layer &&
                       in.header[2] == static_cast<std::int64_t>(in.shard.param.size()) &&
                       static_cast<std::uint64_t>(in.header[3]) == in.shard.checksum();
    if (!whole) {
      throw std::runtime_error("migration: layer " + std::to_string(in.shard.layer) +
                               " from rank " + std::to_string(in.from) +
                               " arrived corrupted (checksum mismatch)");
    }
    received.push_back(std::move(in.shard));
  }
  local.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (stats) *stats = local;
  return received;
}

}  // namespace parcae::elastic

// Shards rank to rank over MPI (see shard_exchange.hpp).
#include "parcae/elastic/shard_exchange.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <limits>
#include <memory>
#include <stdexcept>

#include "parcae/model/layers.hpp"
#include "parcae/util/hashing_thread.hpp"

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

std::span<float> buffer(model::Shard& s, int b) {
  return b == 0 ? std::span(s.param) : b == 1 ? std::span(s.adam_m) : std::span(s.adam_v);
}
std::span<const float> buffer(const model::Shard& s, int b) {
  return b == 0 ? std::span(s.param) : b == 1 ? std::span(s.adam_m) : std::span(s.adam_v);
}

}  // namespace

void check_arrival(const ShardHeader& header, const model::Shard& arrived,
                   const model::Shard::BufferChecksums& sums, int from) {
  const bool whole =
      header.layer == arrived.layer &&
      header.floats == static_cast<std::int64_t>(arrived.param.size()) &&
      header.checksum == model::combine_checksums(arrived.layer, header.step, sums);
  if (!whole) {
    throw std::runtime_error("migration: layer " + std::to_string(arrived.layer) + " from rank " +
                             std::to_string(from) + " arrived corrupted (checksum mismatch)");
  }
}

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
    // The buffers of incoming shards first (3 per shard, so request 3k + b is
    // buffer b of incoming[k]), then those of outgoing ones, then the headers.
    std::vector<MPI_Request> requests;
    std::vector<std::array<std::int64_t, kHeaderWords>> headers;  // stable while in flight
    std::vector<Incoming> incoming;
  };
  auto flight = std::make_unique<InFlight>();
  auto& requests = flight->requests;
  auto& headers = flight->headers;
  auto& incoming = flight->incoming;
  ExchangeStats local;
  std::vector<const model::Shard*> outgoing;
  std::vector<int> outgoing_to;
  for (const auto& t : plan.transfers) {
    if (t.to == me) {
      Incoming in;
      in.from = t.from;
      in.shard.layer = t.layer;
      incoming.push_back(std::move(in));
    }
    if (t.from == me) {
      outgoing.push_back(&find_held(held, t.layer));
      outgoing_to.push_back(t.to);
    }
  }
  headers.resize(outgoing.size());
  requests.resize(3 * incoming.size() + 3 * outgoing.size() + incoming.size() + outgoing.size(),
                  MPI_REQUEST_NULL);
  MPI_Request* const receiving = requests.data();
  MPI_Request* const sending = receiving + 3 * incoming.size();
  MPI_Request* const heading = sending + 3 * outgoing.size();

  // Each incoming buffer is hashed on a helper thread as soon as it has
  // landed (still in cache), while MPI copies the next ones.
  util::HashingThread hashing(3 * incoming.size());
  const auto landed = [&](int i) {
    const auto k = static_cast<std::size_t>(i);
    if (k < 3 * incoming.size()) {
      hashing.hash(k, std::span<const float>(buffer(incoming[k / 3].shard, static_cast<int>(k % 3))));
    }
  };
  const auto collect_landed = [&](std::size_t posted) {
    std::vector<int> done(posted);
    int count = 0;
    MPI_Testsome(static_cast<int>(posted), receiving, &count, done.data(), MPI_STATUSES_IGNORE);
    for (int i = 0; i < count && count != MPI_UNDEFINED; ++i) landed(done[i]);
  };

  // The buffers travel first and the headers after them: a sender hashes
  // its shards while the receiver copies (MPI's single copy is the
  // receiver's), and MPI's non-overtaking rule keeps the order per pair.
  for (std::size_t k = 0; k < outgoing.size(); ++k) {
    const model::Shard& s = *outgoing[k];
    const int n = count_of(s.param.size());
    for (int b = 0; b < 3; ++b) {
      // (MPI-3 takes const buffers; the cast serves MPI builds older than that)
      MPI_Isend(const_cast<float*>(buffer(s, b).data()), n, MPI_FLOAT, outgoing_to[k], tag, comm,
                &sending[3 * k + b]);
    }
    local.bytes_sent += static_cast<std::int64_t>(3 * s.param.size() * sizeof(float));
  }
  // A receive whose message is already there is copied inside MPI_Irecv:
  // the buffers are allocated shard by shard and what landed is handed to
  // the hashing thread at once, not after the last copy.
  for (std::size_t k = 0; k < incoming.size(); ++k) {
    auto& in = incoming[k];
    const auto n = static_cast<std::size_t>(model::layer_spec(cfg, in.shard.layer).size);
    for (int b = 0; b < 3; ++b) {
      auto& v = b == 0 ? in.shard.param : b == 1 ? in.shard.adam_m : in.shard.adam_v;
      v.resize(n);
      MPI_Irecv(v.data(), count_of(n), MPI_FLOAT, in.from, tag, comm, &receiving[3 * k + b]);
    }
    collect_landed(3 * (k + 1));
    local.bytes_received += static_cast<std::int64_t>(3 * n * sizeof(float));
  }
  for (std::size_t k = 0; k < incoming.size(); ++k) {
    MPI_Irecv(incoming[k].header, kHeaderWords, MPI_INT64_T, incoming[k].from, tag, comm,
              &heading[k]);
  }
  for (std::size_t k = 0; k < outgoing.size(); ++k) {
    const model::Shard& s = *outgoing[k];
    headers[k] = {s.layer, s.step, static_cast<std::int64_t>(s.param.size()),
                  static_cast<std::int64_t>(s.checksum())};
    MPI_Isend(headers[k].data(), kHeaderWords, MPI_INT64_T, outgoing_to[k], tag, comm,
              &heading[incoming.size() + k]);
    collect_landed(3 * incoming.size());
  }
  try {
    runtime::wait_politely(requests, landed, patience, partners_of(plan, me));
  } catch (...) {
    (void)flight.release();  // still in flight: see InFlight
    throw;
  }
  const std::vector<std::uint64_t> sums = hashing.finish();

  std::vector<model::Shard> received;
  for (std::size_t k = 0; k < incoming.size(); ++k) {
    auto& in = incoming[k];
    const ShardHeader header{.layer = static_cast<int>(in.header[0]),
                             .step = in.header[1],
                             .floats = in.header[2],
                             .checksum = static_cast<std::uint64_t>(in.header[3])};
    check_arrival(header, in.shard, {sums[3 * k], sums[3 * k + 1], sums[3 * k + 2]}, in.from);
    in.shard.step = header.step;
    received.push_back(std::move(in.shard));
  }
  local.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (stats) *stats = local;
  return received;
}

}  // namespace parcae::elastic

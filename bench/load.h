// The load generator's parts: callers that hammer one call for a while and
// record every latency, percentiles, and what a process costs (CPU, memory)
// read from /proc. Programs that print figures, not tests.
#ifndef PORTFOLIO_BENCH_LOAD_H_
#define PORTFOLIO_BENCH_LOAD_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace portfolio::bench {

// What a run of calls measured.
struct LoadResult {
  int64_t calls = 0;   // completed OK
  int64_t errors = 0;  // completed with an error
  double seconds = 0;  // wall time of the run
  double qps = 0;      // calls / seconds
  double p50_ms = 0;
  double p99_ms = 0;
  std::string first_error;  // the first error's message, if any
  // With a KindFn: the p50 and p99 of each kind's calls, by kind.
  std::vector<double> kind_p50_ms;
  std::vector<double> kind_p99_ms;
};

// One caller's work: makes one call and returns its status. `caller` is
// 0..callers-1 and `n` counts that caller's calls from 0. Called from the
// caller's own thread only.
using CallFn = std::function<absl::Status(int caller, int64_t n)>;

// Which kind of call (0..kinds-1) a caller's n-th call is, for a mixed
// load whose kinds are reported apart.
using KindFn = std::function<int(int caller, int64_t n)>;

// Runs `callers` threads, each calling `fn` back to back until `duration`
// has passed, and returns their combined throughput and latencies; with
// `kind`, also the latencies of each of `kinds` kinds of call.
LoadResult RunLoad(int callers, absl::Duration duration, const CallFn& fn,
                   const KindFn& kind = nullptr, int kinds = 0);

// The latency (ms) at quantile q in [0, 1] of `ms`, which it sorts.
double Percentile(std::vector<double>& ms, double q);

// CPU seconds (user + system) a process has used so far; 0 when unknown.
double ProcessCpuSeconds(pid_t pid);

// Seconds the machine's CPUs have spent idle or waiting for I/O so far,
// summed over all of them (/proc/stat); -1 when unreadable.
double MachineIdleSeconds();

// Bytes the process has passed to write(2)-family system calls (pwrite,
// write, writev: /proc/PID/io wchar; not sendmsg, which gRPC's sockets
// use), or -1 when unreadable.
int64_t ProcessWrittenBytes(pid_t pid);
// Resident memory now, and its peak, in MiB; 0 when unknown.
double ResidentMiB(pid_t pid);
double PeakResidentMiB(pid_t pid);

// One line about the machine: cores, CPU model, memory, kernel.
std::string MachineLine();

}  // namespace portfolio::bench

#endif  // PORTFOLIO_BENCH_LOAD_H_

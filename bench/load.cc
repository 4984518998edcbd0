#include "bench/load.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace portfolio::bench {

LoadResult RunLoad(int callers, absl::Duration duration, const CallFn& fn,
                   const KindFn& kind, int kinds) {
  absl::Mutex mu;
  std::vector<double> all_ms;
  std::vector<std::vector<double>> kind_ms(kind ? kinds : 0);
  LoadResult result;
  const absl::Time start = absl::Now();
  const absl::Time end = start + duration;
  std::vector<std::thread> threads;
  for (int c = 0; c < callers; ++c) {
    threads.emplace_back([&, c] {
      std::vector<double> ms;
      std::vector<std::vector<double>> by_kind(kind_ms.size());
      int64_t errors = 0;
      std::string first_error;
      for (int64_t n = 0; absl::Now() < end; ++n) {
        const absl::Time t0 = absl::Now();
        const absl::Status s = fn(c, n);
        const double took = absl::ToDoubleMilliseconds(absl::Now() - t0);
        if (s.ok()) {
          ms.push_back(took);
          if (kind) by_kind.at(kind(c, n)).push_back(took);
        } else {
          if (errors++ == 0) first_error = s.ToString();
        }
      }
      absl::MutexLock lock(&mu);
      all_ms.insert(all_ms.end(), ms.begin(), ms.end());
      for (size_t k = 0; k < by_kind.size(); ++k) {
        kind_ms[k].insert(kind_ms[k].end(), by_kind[k].begin(),
                          by_kind[k].end());
      }
      result.errors += errors;
      if (result.first_error.empty()) result.first_error = first_error;
    });
  }
  for (std::thread& t : threads) t.join();
  result.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  result.calls = static_cast<int64_t>(all_ms.size());
  result.qps = result.seconds > 0 ? result.calls / result.seconds : 0;
  result.p50_ms = Percentile(all_ms, 0.50);
  result.p99_ms = Percentile(all_ms, 0.99);
  for (std::vector<double>& ms : kind_ms) {
    result.kind_p50_ms.push_back(Percentile(ms, 0.50));
    result.kind_p99_ms.push_back(Percentile(ms, 0.99));
  }
  return result;
}

double Percentile(std::vector<double>& ms, double q) {
  if (ms.empty()) return 0;
  std::sort(ms.begin(), ms.end());
  const size_t i = std::min(ms.size() - 1, static_cast<size_t>(q * ms.size()));
  return ms[i];
}

double ProcessCpuSeconds(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (!std::getline(in, line)) return 0;
  // Fields after the command name, which is in parentheses and may hold
  // spaces: state is field 3, utime 14, stime 15.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::vector<std::string> fields =
      absl::StrSplit(line.substr(close + 2), ' ', absl::SkipEmpty());
  int64_t utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &utime) ||
      !absl::SimpleAtoi(fields[12], &stime)) {
    return 0;
  }
  return static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
}

double MachineIdleSeconds() {
  std::ifstream in("/proc/stat");
  std::string line;
  if (!std::getline(in, line)) return -1;
  // "cpu  user nice system idle iowait ...", in clock ticks.
  std::vector<std::string> fields =
      absl::StrSplit(line, ' ', absl::SkipEmpty());
  int64_t idle = 0, iowait = 0;
  if (fields.size() < 6 || fields[0] != "cpu" ||
      !absl::SimpleAtoi(fields[4], &idle) ||
      !absl::SimpleAtoi(fields[5], &iowait)) {
    return -1;
  }
  return static_cast<double>(idle + iowait) / sysconf(_SC_CLK_TCK);
}

int64_t ProcessWrittenBytes(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/io"));
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view rest = line;
    if (!absl::ConsumePrefix(&rest, "wchar:")) continue;
    int64_t bytes = 0;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(rest), &bytes)) {
      return bytes;
    }
  }
  return -1;
}

namespace {

double StatusKiB(pid_t pid, const std::string& key) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view rest = line;
    if (!absl::ConsumePrefix(&rest, key)) continue;
    rest = absl::StripAsciiWhitespace(rest);
    absl::ConsumeSuffix(&rest, " kB");
    int64_t kib = 0;
    if (absl::SimpleAtoi(rest, &kib)) return static_cast<double>(kib);
  }
  return 0;
}

}  // namespace

double ResidentMiB(pid_t pid) { return StatusKiB(pid, "VmRSS:") / 1024; }
double PeakResidentMiB(pid_t pid) { return StatusKiB(pid, "VmHWM:") / 1024; }

std::string MachineLine() {
  std::string model = "unknown CPU";
  std::ifstream cpu("/proc/cpuinfo");
  for (std::string line; std::getline(cpu, line);) {
    if (absl::StartsWith(line, "model name")) {
      model = std::string(
          absl::StripAsciiWhitespace(line.substr(line.find(':') + 1)));
      break;
    }
  }
  const double mem_gib = static_cast<double>(sysconf(_SC_PHYS_PAGES)) *
                         sysconf(_SC_PAGESIZE) / (1024.0 * 1024 * 1024);
  utsname u{};
  uname(&u);
  std::ostringstream out;
  out << "machine cores=" << std::thread::hardware_concurrency() << " cpu=\""
      << model << "\" mem_gib=" << static_cast<int>(mem_gib + 0.5)
      << " kernel=" << u.release;
  return out.str();
}

}  // namespace portfolio::bench

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// CPU accounting from Linux's /proc, so that a run shows where the machine's
// cores went: the server under test, Redis, the floor, loadgen itself, and
// everything else (other people's work on a shared machine). Elsewhere the
// figures are simply absent.

// userHZ is the unit of /proc's CPU times: USER_HZ, 100 on every Linux ABI.
const userHZ = 100

// watched is a process whose CPU time a -floor run reports.
type watched struct {
	Name string `json:"name"`
	PID  int    `json:"pid"`
}

// parseWatch parses -watch-pid's "name=pid".
func parseWatch(s string) (watched, error) {
	name, p, ok := strings.Cut(s, "=")
	pid, err := strconv.Atoi(p)
	if !ok || name == "" || err != nil || pid <= 0 {
		return watched{}, fmt.Errorf("-watch-pid %q: want name=pid, e.g. gateway=1234", s)
	}
	return watched{Name: name, PID: pid}, nil
}

// procCPU is the user+system CPU time process pid has used.
func procCPU(pid int) (time.Duration, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseProcStat(raw)
}

// parseProcStat reads utime and stime (fields 14 and 15) of a
// /proc/PID/stat line. The command name (field 2) is in parentheses and may
// hold spaces and parentheses itself, so fields are counted after the last
// ')'.
func parseProcStat(raw []byte) (time.Duration, error) {
	i := bytes.LastIndexByte(raw, ')')
	if i < 0 {
		return 0, errors.New("/proc/PID/stat: no command name")
	}
	f := strings.Fields(string(raw[i+1:])) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0, errors.New("/proc/PID/stat: too few fields")
	}
	ut, err1 := strconv.ParseUint(f[11], 10, 64)
	st, err2 := strconv.ParseUint(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, errors.New("/proc/PID/stat: bad utime/stime")
	}
	return ticks(ut + st), nil
}

// machineCPU is the CPU time all cores together have spent busy (anything
// but idle and iowait, steal included: a core stolen by the hypervisor did
// not run our work) since boot, from /proc/stat.
func machineCPU() (time.Duration, error) {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	return parseMachineStat(raw)
}

func parseMachineStat(raw []byte) (time.Duration, error) {
	line, _, _ := bytes.Cut(raw, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 5 || f[0] != "cpu" {
		return 0, errors.New("/proc/stat: no cpu line")
	}
	var busy uint64
	for i, s := range f[1:min(len(f), 9)] { // user nice system idle iowait irq softirq steal
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, errors.New("/proc/stat: bad cpu line")
		}
		if i != 3 && i != 4 {
			busy += v
		}
	}
	return ticks(busy), nil
}

func ticks(n uint64) time.Duration { return time.Duration(n) * (time.Second / userHZ) }

// cpuSnapshot is the CPU time of each watched process and of the machine at
// one instant. A process that cannot be read is absent.
type cpuSnapshot struct {
	at      time.Time
	proc    map[string]time.Duration
	machine time.Duration
	hasMach bool
}

func snapshot(ws []watched) cpuSnapshot {
	s := cpuSnapshot{at: time.Now(), proc: make(map[string]time.Duration, len(ws))}
	for _, w := range ws {
		if d, err := procCPU(w.PID); err == nil {
			s.proc[w.Name] = d
		}
	}
	if d, err := machineCPU(); err == nil {
		s.machine, s.hasMach = d, true
	}
	return s
}

// cpuDelta is what was used between two snapshots, in seconds of CPU.
type cpuDelta struct {
	Wall    float64            `json:"wallSeconds"`
	Proc    map[string]float64 `json:"processCpuSeconds,omitempty"`
	Machine float64            `json:"machineBusyCpuSeconds,omitempty"`
}

func (s cpuSnapshot) to(e cpuSnapshot) cpuDelta {
	d := cpuDelta{Wall: e.at.Sub(s.at).Seconds(), Proc: map[string]float64{}}
	for k, v := range e.proc {
		if v0, ok := s.proc[k]; ok {
			d.Proc[k] = (v - v0).Seconds()
		}
	}
	if s.hasMach && e.hasMach {
		d.Machine = (e.machine - s.machine).Seconds()
	}
	return d
}

func (d *cpuDelta) add(o cpuDelta) {
	d.Wall += o.Wall
	d.Machine += o.Machine
	if d.Proc == nil {
		d.Proc = map[string]float64{}
	}
	for k, v := range o.Proc {
		d.Proc[k] += v
	}
}

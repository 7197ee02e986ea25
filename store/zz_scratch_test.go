package store

import (
	"context"
	"os"
	"runtime/pprof"
	"testing"
	"time"
)

func TestZZScratchGen(t *testing.T) {
	dir := os.Getenv("ROLLDB")
	if dir == "" {
		t.Skip()
	}
	s, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n int
	s.db.QueryRow(`SELECT count(*) FROM tallies`).Scan(&n)
	if n == 0 {
		if err := fillUnits(s, 3321, 20); err != nil {
			t.Fatal(err)
		}
	}
	year := YearPeriod(2024, 15)
	for i := 0; i < 3; i++ {
		if i == 2 {
			f, _ := os.Create("/tmp/roll2.prof")
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
		t0 := time.Now()
		r, err := s.Rollup(context.Background(), RollupQuery{Start: year.Start, End: year.End})
		t.Logf("rollup %v rows %d err %v", time.Since(t0), len(r.Rows), err)
	}
}

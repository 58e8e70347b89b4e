// etcd_put_bench: a small native put benchmark for etcd v3 (gRPC, go.etcd.io/etcd/clientv3), modelled on etcd's
// own `benchmark put` (which Debian does not ship): C clients (goroutines) sharing N gRPC connections, each putting
// random fixed-size keys with fixed-size values in a closed loop for a fixed time, then stopping by itself.
// Loopback endpoints only. Prints one line: clients, puts, errors, seconds, puts_per_s, p50/p90/p99/max in ms.
// kubus-bench builds it (into .build/peers/) and runs it against its etcd peer (docs/benchmarks.md). By hand
// (Debian 12: apt-get install golang-go golang-etcd-server-dev):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o etcd-put-bench etcd_put_bench.go
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math/rand"
	"net"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/clientv3"
)

func main() {
	endpoint := flag.String("endpoint", "127.0.0.1:2379", "etcd client endpoint (loopback only)")
	clients := flag.Int("clients", 1, "concurrent clients")
	conns := flag.Int("conns", 1, "gRPC connections shared by the clients")
	dur := flag.Duration("duration", 10*time.Second, "how long to run (at most 60s)")
	maxReq := flag.Int("max-requests", 10000000, "per client, a second bound")
	keySize := flag.Int("key-size", 8, "key size in bytes")
	valSize := flag.Int("val-size", 256, "value size in bytes")
	keySpace := flag.Int("key-space-size", 100000, "distinct keys")
	flag.Parse()
	host, _, err := net.SplitHostPort(*endpoint)
	if err != nil || (host != "127.0.0.1" && host != "localhost" && host != "::1") {
		fmt.Fprintln(os.Stderr, "loopback endpoints only")
		os.Exit(2)
	}
	if *dur > 60*time.Second {
		fmt.Fprintln(os.Stderr, "duration is capped at 60s")
		os.Exit(2)
	}
	cs := make([]*clientv3.Client, *conns)
	for i := range cs {
		c, err := clientv3.New(clientv3.Config{Endpoints: []string{*endpoint}, DialTimeout: 5 * time.Second})
		if err != nil {
			fmt.Fprintln(os.Stderr, "connect:", err)
			os.Exit(1)
		}
		cs[i] = c
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if _, err := c.Put(ctx, "warmup", "x"); err != nil { // opens the connection before the clock starts
			fmt.Fprintln(os.Stderr, "warm-up put:", err)
			os.Exit(1)
		}
		cancel()
	}
	val := string(bytes.Repeat([]byte("v"), *valSize))
	lats := make([][]time.Duration, *clients)
	var errs int64
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(*dur)
	for i := 0; i < *clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := cs[i%len(cs)]
			r := rand.New(rand.NewSource(int64(i)))
			l := make([]time.Duration, 0, 1<<16)
			for n := 0; n < *maxReq; n++ {
				t0 := time.Now()
				if t0.After(deadline) {
					break
				}
				key := fmt.Sprintf("%0*d", *keySize, r.Intn(*keySpace))
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				_, err := c.Put(ctx, key, val)
				cancel()
				l = append(l, time.Since(t0))
				if err != nil {
					atomic.AddInt64(&errs, 1)
				}
			}
			lats[i] = l
		}(i)
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	var all []time.Duration
	for _, l := range lats {
		all = append(all, l...)
	}
	sort.Slice(all, func(a, b int) bool { return all[a] < all[b] })
	n := len(all)
	if n == 0 {
		fmt.Fprintln(os.Stderr, "no puts completed")
		os.Exit(1)
	}
	q := func(f float64) float64 {
		i := int(float64(n) * f)
		if i >= n {
			i = n - 1
		}
		return float64(all[i].Microseconds()) / 1000
	}
	fmt.Printf("clients %d puts %d errors %d seconds %.2f puts_per_s %.0f p50_ms %.3f p90_ms %.3f p99_ms %.3f max_ms %.3f\n",
		*clients, n, errs, secs, float64(n)/secs, q(0.50), q(0.90), q(0.99), float64(all[n-1].Microseconds())/1000)
}

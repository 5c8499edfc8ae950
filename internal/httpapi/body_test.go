package httpapi

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestOversizedBodiesGetTheir413: clients sending a body over the limit
// (1 MiB here) all read the 413 PAYLOAD_TOO_LARGE, none a connection reset:
// the server drains the rest of the body before closing. Five at once, over
// raw TCP, each a client that writes its whole body (at an uploader's pace,
// not a loopback burst) before reading, with a declared length and
// chunked.
func TestOversizedBodiesGetTheir413(t *testing.T) {
	h := newHarness(t, memoryStore())
	addr := strings.TrimPrefix(h.srv.URL, "http://")
	body := bytes.Repeat([]byte(" "), 3<<20)
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprintf("chunked=%v", chunked), func(t *testing.T) {
			var wg sync.WaitGroup
			errs := make(chan error, 5)
			for range 5 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs <- sendWhole(addr, body, chunked)
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
}

// sendWhole writes a POST with body to addr, all of it, then reads the
// answer, which must be 413 PAYLOAD_TOO_LARGE.
func sendWhole(addr string, body []byte, chunked bool) error {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	head := "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
	if chunked {
		head += "Transfer-Encoding: chunked\r\n\r\n"
	} else {
		head += fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body))
	}
	w := bufio.NewWriterSize(c, 64<<10)
	_, _ = w.WriteString(head)
	for off := 0; off < len(body); off += 32 << 10 {
		chunk := body[off:min(off+32<<10, len(body))]
		if chunked {
			fmt.Fprintf(w, "%x\r\n", len(chunk))
		}
		if _, err := w.Write(chunk); err != nil {
			return fmt.Errorf("writing the body: %w (the server closed the connection under the client)", err)
		}
		if off%(256<<10) == 0 {
			if err := w.Flush(); err != nil {
				return fmt.Errorf("writing the body: %w (the server closed the connection under the client)", err)
			}
			time.Sleep(60 * time.Millisecond) // an uploader's pace: 3 MiB take ~0.7 s, longer than a server waits before closing
		}
		if chunked {
			_, _ = w.WriteString("\r\n")
		}
	}
	if chunked {
		_, _ = w.WriteString("0\r\n\r\n")
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("writing the body: %w (the server closed the connection under the client)", err)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return fmt.Errorf("reading the answer: %w", err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !bytes.Contains(raw, []byte("PAYLOAD_TOO_LARGE")) {
		return fmt.Errorf("answer %d %s, want 413 PAYLOAD_TOO_LARGE", res.StatusCode, raw)
	}
	return nil
}

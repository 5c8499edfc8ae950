package explorer

import "testing"

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		want   bool
	}{
		{"absent", nil, false},
		{"gzip", []string{"gzip"}, true},
		{"browser list", []string{"gzip, deflate, br, zstd"}, true},
		{"upper case with spaces", []string{" GZIP ; q=0.5"}, true},
		{"x-gzip", []string{"x-gzip"}, true},
		{"star", []string{"*"}, true},
		{"identity only", []string{"identity"}, false},
		{"gzip refused", []string{"gzip;q=0"}, false},
		{"gzip refused with decimals", []string{"gzip; q=0.000"}, false},
		{"gzip refused, star allowed", []string{"gzip;q=0, *"}, false},
		{"star refused", []string{"*;q=0"}, false},
		{"low but non-zero q", []string{"gzip;q=0.001"}, true},
		{"second header line", []string{"br", "gzip"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := acceptsGzip(tt.header); got != tt.want {
				t.Errorf("acceptsGzip(%q) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}

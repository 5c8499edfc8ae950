package redactiontest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	for _, tc := range []struct {
		name    string
		files   map[string]string
		want    []Case
		wantErr string
	}{
		{
			name: "marked-up and tsv",
			files: map[string]string{
				"a.txt": "# comment\n\nnote one\t员工{{张三>张某}}，账号{{6222}}。\nnote two\t无\n",
				"b.tsv": "note three\t电话13912345678\t电话M\nnote four\t罚款\t=\n",
			},
			want: []Case{
				{"note one", "员工张三，账号6222。", "员工张某，账号" + Marker + "。"},
				{"note two", "无", "无"},
				{"note three", "电话13912345678", "电话M"},
				{"note four", "罚款", "罚款"},
			},
		},
		{name: "unclosed", files: map[string]string{"a.txt": "n\t{{6222\n"}, wantErr: "a.txt:1: {{ without }}"},
		{name: "unopened", files: map[string]string{"a.txt": "n\t6222}}\n"}, wantErr: "a.txt:1: }} without {{"},
		{name: "nested", files: map[string]string{"a.txt": "n\t{{a{{b}}}}\n"}, wantErr: "a.txt:1: {{ without }}"},
		{name: "txt fields", files: map[string]string{"a.txt": "n\tx\ty\n"}, wantErr: "a.txt:1: want a note and a text"},
		{name: "tsv fields", files: map[string]string{"a.tsv": "n\tx\n"}, wantErr: "a.tsv:1: want 3 tab-separated fields"},
		{name: "duplicate note", files: map[string]string{"a.txt": "n\tx\n", "b.txt": "n\ty\n"}, wantErr: `note "n" already used at a.txt:1`},
		{name: "no files", files: map[string]string{"README.md": "x"}, wantErr: "no cases in"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := Load(dir)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Load: error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("Load: %d cases %v, want %d", len(got), got, len(tc.want))
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("case %d: %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

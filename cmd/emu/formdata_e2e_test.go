package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"strings"
	"testing"
)

// TestFormDataUpload drives testdata/formdata with a multipart upload made
// by Go's mime/multipart writer: the Worker parses it with
// request.formData() and hashes the file through crypto.DigestStream.
func TestFormDataUpload(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "formdata"))

	file := make([]byte, 300_000)
	for i := range file {
		file[i] = byte(i*7 + i/1000)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if err := w.WriteField("title", "holiday ☀"); err != nil {
		t.Fatal(err)
	}
	fw, err := w.CreateFormFile("file", "photo.bin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(file); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteField("note", "line1\r\nline2"); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	status, got, _ := p.do("POST", "/upload", &body, "Content-Type", w.FormDataContentType())
	if status != 200 {
		t.Fatalf("POST /upload = %d %s", status, got)
	}
	var res struct {
		Name, Type, Sha256, BytesWritten string
		Size                             int
		Fields                           map[string]string
	}
	if err := json.Unmarshal([]byte(got), &res); err != nil {
		t.Fatalf("POST /upload: %v: %s", err, got)
	}
	sum := sha256.Sum256(file)
	if res.Name != "photo.bin" || res.Type != "application/octet-stream" || res.Size != len(file) ||
		res.Sha256 != hex.EncodeToString(sum[:]) || res.BytesWritten != "300000" {
		t.Errorf("POST /upload = %+v, want photo.bin application/octet-stream %d %x", res, len(file), sum)
	}
	if res.Fields["title"] != "holiday ☀" || res.Fields["note"] != "line1\r\nline2" || len(res.Fields) != 2 {
		t.Errorf("fields = %q", res.Fields)
	}

	// A body that is not a form gets workerd's TypeError.
	status, got, _ = p.do("POST", "/upload", strings.NewReader("x"), "Content-Type", "text/plain")
	if want := "TypeError: Unrecognized Content-Type header value. FormData can only parse the following MIME types: multipart/form-data, application/x-www-form-urlencoded"; status != 400 || got != want {
		t.Errorf("POST /upload text/plain = %d %q, want 400 %q", status, got, want)
	}
	status, got, _ = p.do("POST", "/upload", strings.NewReader("--b\r\nContent-Disposition: attachment\r\n\r\nx\r\n--b--"),
		"Content-Type", "multipart/form-data; boundary=b")
	if want := `TypeError: Content-Disposition header for FormData part must have the value "form-data", possibly followed by parameters. Got: "attachment"`; status != 400 || got != want {
		t.Errorf("POST /upload bad part = %d %q, want 400 %q", status, got, want)
	}
}

// readForm parses a multipart/form-data response with Go's reader: the
// fields in order as "name=value" and files as "name=filename|type|hex".
func readForm(t *testing.T, contentType, body string) []string {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		t.Fatalf("Content-Type %q: %v", contentType, err)
	}
	r := multipart.NewReader(strings.NewReader(body), params["boundary"])
	var out []string
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("read part: %v\n%q", err, body)
		}
		b, err := io.ReadAll(part)
		if err != nil {
			t.Fatal(err)
		}
		if part.FileName() == "" {
			out = append(out, part.FormName()+"="+string(b))
		} else {
			out = append(out, part.FormName()+"="+part.FileName()+"|"+part.Header.Get("Content-Type")+"|"+hex.EncodeToString(b))
		}
	}
}

// TestFormDataResponse reads the FormData bodies of testdata/formdata with
// Go's mime/multipart reader.
func TestFormDataResponse(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "formdata"))

	status, body, hdr := p.get("/form")
	if status != 200 {
		t.Fatalf("GET /form = %d %s", status, body)
	}
	got := readForm(t, hdr.Get("Content-Type"), body)
	want := []string{
		"greeting=héllo wörld",
		"report=report.txt|text/plain|" + hex.EncodeToString([]byte("line 1\nline 2\n")),
		"raw=blob|application/octet-stream|000102fdfeff",
		"greeting=again",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("GET /form parts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A urlencoded form comes back as multipart.
	form := url.Values{"a": {"1 2", "3"}, "b": {"é&="}}
	status, body, hdr = p.do("POST", "/echo", strings.NewReader(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
	if status != 200 {
		t.Fatalf("POST /echo = %d %s", status, body)
	}
	if got := strings.Join(readForm(t, hdr.Get("Content-Type"), body), ","); got != "a=1 2,a=3,b=é&=" {
		t.Errorf("POST /echo parts = %s", got)
	}

	// A Blob body carries its type.
	status, body, hdr = p.do("POST", "/blob", strings.NewReader("<abc>"), "Content-Type", "text/x-emu")
	if status != 200 || body != "abc" || hdr.Get("Content-Type") != "text/x-emu" {
		t.Errorf("POST /blob = %d %q %q", status, body, hdr.Get("Content-Type"))
	}
}

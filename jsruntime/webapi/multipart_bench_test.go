package webapi

import (
	"bytes"
	"io"
	"mime/multipart"
	"testing"

	"github.com/dop251/goja"
)

// multipartBody is a form with a text field and a 1 MiB file, written by
// Go's multipart writer.
func multipartBody(b *testing.B) ([]byte, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.WriteField("title", "hello"); err != nil {
		b.Fatal(err)
	}
	fw, err := w.CreateFormFile("file", "f.bin")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := fw.Write(bytes.Repeat([]byte("0123456789abcdef"), 1<<16)); err != nil {
		b.Fatal(err)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes(), w.Boundary()
}

// BenchmarkParseMultipart is formData()'s parser on a 1 MiB upload.
func BenchmarkParseMultipart(b *testing.B) {
	body, boundary := multipartBody(b)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		parts, err := parseMultipart(body, boundary)
		if err != nil || len(parts) != 2 {
			b.Fatal(err)
		}
	}
}

// BenchmarkGoMultipart is the baseline: Go's mime/multipart reader on the
// same body, reading every part.
func BenchmarkGoMultipart(b *testing.B) {
	body, boundary := multipartBody(b)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		r := multipart.NewReader(bytes.NewReader(body), boundary)
		n := 0
		for {
			p, err := r.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, p); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 2 {
			b.Fatal(n)
		}
	}
}

// BenchmarkFormDataJS is request.formData() in an isolate on the same 1 MiB
// upload, through to the File's bytes.
func BenchmarkFormDataJS(b *testing.B) {
	body, boundary := multipartBody(b)
	iso, _ := newIsolate(b)
	do(b, iso, func(rt *goja.Runtime) error {
		return rt.Set("__body", rt.NewArrayBuffer(body))
	})
	src := `new Request("https://a/", {method: "POST", body: __body, headers: {"content-type": "multipart/form-data; boundary=` + boundary + `"}})
	  .formData().then((fd) => fd.get("file").bytes()).then((u) => u.byteLength)`
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if got := evalAsync(b, iso, src); got != "1048576" {
			b.Fatal(got)
		}
	}
}

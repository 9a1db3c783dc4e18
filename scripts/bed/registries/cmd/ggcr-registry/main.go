// ggcr-registry: go-containerregistry's pkg/registry with the OCI 1.1 referrers API, for the
// image-publish test bed. Manifests live in memory (gone on restart); blobs on disk under -blobs
// so that large images do not grow the process.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"

	"github.com/google/go-containerregistry/pkg/registry"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:5700", "listen address")
	blobs := flag.String("blobs", "", "directory for blobs (default: in memory)")
	flag.Parse()
	opts := []registry.Option{registry.WithReferrersSupport(true), registry.Logger(log.New(os.Stderr, "", log.LstdFlags))}
	if *blobs != "" {
		if err := os.MkdirAll(*blobs, 0o700); err != nil {
			log.Fatal(err)
		}
		opts = append(opts, registry.WithBlobHandler(registry.NewDiskBlobHandler(*blobs)))
	}
	log.Printf("ggcr-registry (referrers API) listening on %s", *addr)
	log.Fatal(http.ListenAndServe(*addr, registry.New(opts...)))
}

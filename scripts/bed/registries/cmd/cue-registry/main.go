// cue-registry: cuelabs.dev/go/oci/ociregistry (ociserver over ocimem) for the image-publish test
// bed, an OCI 1.1 registry independent of go-containerregistry. Everything lives in memory (gone on
// restart); its referrers API answers an empty list as "manifests": null.
package main

import (
	"flag"
	"log"
	"net/http"

	"cuelabs.dev/go/oci/ociregistry/ocimem"
	"cuelabs.dev/go/oci/ociregistry/ociserver"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:5701", "listen address")
	flag.Parse()
	log.Printf("cue-registry (referrers API) listening on %s", *addr)
	log.Fatal(http.ListenAndServe(*addr, ociserver.New(ocimem.New(), nil)))
}

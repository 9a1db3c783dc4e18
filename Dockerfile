# The built-in example (README quick start, scripts/example.sh): a COPY-only image, no RUN step,
# so it builds for every platform without emulation. BASE defaults to the multi-arch busybox that
# the test bed builds locally (nothing can be pulled on the test machines).
ARG BASE=127.0.0.1:5000/bed/busybox:1
FROM ${BASE}
ARG VERSION=dev
ARG COMMIT_SHA=unknown
ARG BUILD_DATE
COPY examples/hello/hello.txt /usr/share/hello/hello.txt
LABEL org.opencontainers.image.source="https://github.com/image-publish/image-publish"
USER 1001:1001
ENTRYPOINT ["/bin/cat", "/usr/share/hello/hello.txt"]

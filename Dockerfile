# The production server, `dayopps serve --production`, in a small image made from the release
# binary alone: nothing is compiled here. Build the binary first, on Debian 12 or older (the
# base image has Debian 12's C library), then the image:
#
#   cargo build --release --locked
#   docker build -t dayopps .
#   docker run --rm -p 8080:8080 -v "$PWD:/site:ro" dayopps
#
# The site's sources (site.yaml, content/, data/, themes/) are mounted read-only at /site, or
# copied in by an image built FROM this one. The server builds the site in memory at start,
# then serves it; it writes nothing, so the container's filesystem can be read-only too.
# Not tested by running docker (tests/dockerfile.rs checks what this file says).
FROM gcr.io/distroless/cc-debian12:nonroot

COPY target/release/dayopps /usr/local/bin/dayopps

# distroless's "nonroot" user (65532): the server needs no privilege, and 8080 is above 1024.
USER 65532:65532
WORKDIR /site
EXPOSE 8080

# The exec form, so that dayopps is process 1 and gets docker stop's SIGTERM itself: it
# answers the requests it has received, then exits 0.
ENTRYPOINT ["/usr/local/bin/dayopps", "serve", "--production", "--bind", "0.0.0.0", "--port", "8080", "--root", "/site"]

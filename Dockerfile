# Saddlepoint in a container: one static binary and nothing else (no shell,
# no libraries, no files), run as a non-root user. It works with a read-only
# root file system: the server writes nothing.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/saddlepoint ./cmd/server

FROM scratch
COPY --from=build /out/saddlepoint /saddlepoint
# 65532 is distroless's "nonroot"; a number, as scratch has no /etc/passwd.
USER 65532:65532
EXPOSE 8080
ENV SADDLEPOINT_LOG_FORMAT=json
HEALTHCHECK --interval=30s --timeout=5s CMD ["/saddlepoint", "-healthcheck"]
# No -addr here: it would override SADDLEPOINT_ADDR, which the health
# check reads; the default address is :8080.
ENTRYPOINT ["/saddlepoint"]

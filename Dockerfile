# Saddlepoint in a container: a static binary on distroless, run as non-root.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/saddlepoint ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/saddlepoint /saddlepoint
USER nonroot:nonroot
EXPOSE 8080
ENV SADDLEPOINT_LOG_FORMAT=json
HEALTHCHECK --interval=30s --timeout=5s CMD ["/saddlepoint", "-healthcheck"]
ENTRYPOINT ["/saddlepoint"]
CMD ["-addr", ":8080"]

# Saddlepoint. Needs Go and make; everything else is fetched by the go command.
GO     ?= go
ADDR   ?= :8080
IMAGE  ?= saddlepoint
# How long `make fuzz` (and so `make test`) runs each fuzzer past its seeds.
FUZZTIME ?= 3s
# The fuzz targets, as package:Fuzzer; each has its seed corpus in the
# package's testdata/fuzz/.
FUZZERS = ./web:FuzzDecodeRun ./web:FuzzWebSocketMessage \
          ./surfaces/expression:FuzzParse ./contour:FuzzLines ./engine:FuzzRun

# Everything is built without cgo, as the container's static binary is, so
# the tests build what ships (and share one build cache with it).
export CGO_ENABLED = 0

.PHONY: run test fuzz build generate bench loadtest docker

## run: serve the site on $(ADDR) (open http://localhost:8080)
run:
	$(GO) run ./cmd/server -addr $(ADDR)

## test: formatting, vet, every test (browser tests skip without Chromium, except on CI), the engine's
## again in pure Go (-tags purego: no assembly), then the fuzzers briefly
test:
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) test ./...
	$(GO) test -tags purego ./engine
	@$(MAKE) --no-print-directory fuzz

## fuzz: each fuzzer for $(FUZZTIME) past its seed corpus (FUZZTIME=5m for a real session)
fuzz:
	@set -e; for target in $(FUZZERS); do \
		pkg=$${target%%:*}; fuzzer=$${target##*:}; \
		echo "fuzzing $$fuzzer in $$pkg for $(FUZZTIME)"; \
		$(GO) test $$pkg -run '^$$' -fuzz "^$$fuzzer\$$" -fuzztime $(FUZZTIME); \
	done

## build: a static binary in bin/
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags="-s -w" -o bin/saddlepoint ./cmd/server

## generate: regenerate the templ components (commit the result)
generate:
	$(GO) tool templ generate

## bench: every benchmark, five runs each, for benchstat
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./...

## loadtest: a lecture hall on one server: 1,000 WebSocket runs and 200 page loads at once
## (flags in LOADTEST, e.g. make loadtest LOADTEST="-growth 250,500,1000,2000 -repeat 3")
loadtest: build
	$(GO) run ./cmd/loadtest -server bin/saddlepoint $(LOADTEST)

## docker: build the container image
docker:
	docker build -t $(IMAGE) .

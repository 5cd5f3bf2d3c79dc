# One command each to run, test and lint; the README and .ci/run use the same ones.
.PHONY: run test lint
run:
	scripts/run
test:
	scripts/test
lint:
	scripts/lint

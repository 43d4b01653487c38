//go:build mage
// +build mage

package main

import (
	"github.com/magefile/mage/mg"

	// mage:import
	build "github.com/grafana/grafana-plugin-sdk-go/build"
)

// Default is the target `mage` runs with no arguments.
var Default = All

// All builds the datasource backend for every platform Covenant ships:
// linux amd64/arm64, darwin amd64/arm64 and windows amd64. The SDK finds the
// nested datasource's plugin.json (src/datasource) and writes the executables
// to dist/datasource, where Grafana looks for them.
func All() {
	b := build.Build{}
	mg.Deps(b.Linux, b.LinuxARM64, b.Darwin, b.DarwinARM64, b.Windows)
}

// Local builds the datasource backend for this machine only (quick development builds).
func Local() error {
	return build.Build{}.Backend()
}

package main

import (
	"github.com/grafana/sqlds/v3"
)

func main() {
	_ = v3.Driver{}
}

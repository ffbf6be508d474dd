package main

import (
	"github.com/grafana/sqlds"
	"github.com/grafana/sqlds/v2"
)

func main() {
	_ = sqlds.Driver{}
	_ = v2.Driver{}
}

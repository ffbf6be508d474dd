package main

import "fmt"

func main() {
	fmt.Println("hello")
	fmt.Print("hello")
	fmt.Printf("hello %s", "world")
}

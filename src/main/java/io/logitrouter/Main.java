package io.logitrouter; public class Main { public static void main(String[] a){} }

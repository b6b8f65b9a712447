package io.shepherd.server; public final class ShepherdApplication { }

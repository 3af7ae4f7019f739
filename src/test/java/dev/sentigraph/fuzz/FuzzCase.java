package dev.sentigraph.fuzz;

import java.util.List;

/**
 * One mutated input and the CLI call that reads it. {@code args} may name files inside the case's folder as
 * {@code {case}/...} and files of the repository relative to its root. {@code mustRefuse} marks inputs that are
 * wrong by construction (exit 0 on them is silent nonsense); {@code expectedLines}, when not null, is how many
 * lines a successful run must print (one record per review).
 */
public record FuzzCase(String kind, String mutation, List<String> args, boolean mustRefuse, Integer expectedLines) {}

package dev.sentigraph.train;

/** What {@code fit} reports for one epoch; validation figures are null without validation data. */
public record EpochLogs(int epoch, double loss, double accuracy, Double valLoss, Double valAccuracy, double seconds,
    int steps) {}

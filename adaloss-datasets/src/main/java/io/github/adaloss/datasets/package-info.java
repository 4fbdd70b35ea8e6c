/**
 * Offline data sets shared by this project's tests, experiments and benchmarks: Fisher's Iris read the way DL4J's
 * own examples read tabular data (DataVec's {@code CSVRecordReader} and {@code RecordReaderDataSetIterator}), and
 * Fashion-MNIST read from the IDX files of Debian's {@code dataset-fashion-mnist} package by one IDX reader.
 * Nothing is downloaded.
 */
package io.github.adaloss.datasets;

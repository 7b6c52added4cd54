package io.mocoj.local.gguf;

import java.nio.ByteBuffer;

/**
 * The memory-mapped bytes of one tensor, split in windows of whole rows. Row {@code r} lives in
 * window {@code r / rowsPerWindow} at byte {@code (r % rowsPerWindow) * rowBytes}.
 */
public final class GgufTensorData {
    private final GgufTensorInfo info;
    private final int rowBytes;
    private final int rowsPerWindow;
    private final ByteBuffer[] windows;

    GgufTensorData(GgufTensorInfo info, int rowBytes, int rowsPerWindow, ByteBuffer[] windows) {
        this.info = info;
        this.rowBytes = rowBytes;
        this.rowsPerWindow = rowsPerWindow;
        this.windows = windows;
    }

    public GgufTensorInfo info() { return info; }

    /** Bytes of one row. */
    public int rowBytes() { return rowBytes; }

    public int rowsPerWindow() { return rowsPerWindow; }

    /** The (little-endian, read-only) window holding a row; do not change its position. */
    public ByteBuffer windowOf(long row) { return windows[(int) (row / rowsPerWindow)]; }

    /** Byte offset of a row inside {@link #windowOf}. */
    public int offsetOf(long row) { return (int) (row % rowsPerWindow) * rowBytes; }

    /** Number of windows. */
    public int windowCount() { return windows.length; }

    /** A window by index (little-endian, read-only). */
    public ByteBuffer window(int index) { return windows[index]; }
}

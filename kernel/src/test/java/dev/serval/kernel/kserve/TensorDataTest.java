package dev.serval.kernel.kserve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.serving.Datatype;
import dev.serval.serving.ServingException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every protocol type between element values and its little-endian bytes, and back. */
class TensorDataTest {

    /** Per type: the extreme values it holds, and their bytes as the binary extension sends them. */
    private static final Map<Datatype, Case> CASES = Map.ofEntries(
            Map.entry(Datatype.BOOL, new Case(List.of(true, false), "0100")),
            Map.entry(Datatype.UINT8, new Case(List.of(0, 255), "00ff")),
            Map.entry(Datatype.UINT16, new Case(List.of(1, 65535), "0100ffff")),
            Map.entry(Datatype.UINT32, new Case(List.of(1L, 4294967295L), "01000000ffffffff")),
            Map.entry(
                    Datatype.UINT64,
                    new Case(List.of(1L, new BigInteger("18446744073709551615")), "0100000000000000ffffffffffffffff")),
            Map.entry(Datatype.INT8, new Case(List.of(-128, 127), "807f")),
            Map.entry(Datatype.INT16, new Case(List.of(-32768, 32767), "0080ff7f")),
            Map.entry(Datatype.INT32, new Case(List.of(-1, Integer.MAX_VALUE), "ffffffffffffff7f")),
            Map.entry(Datatype.INT64, new Case(List.of(Long.MIN_VALUE, 1L), "00000000000000800100000000000000")),
            Map.entry(Datatype.FP16, new Case(List.of(1f, -2f), "003c00c0")),
            Map.entry(Datatype.BF16, new Case(List.of(1f, -2f), "803f00c0")),
            Map.entry(Datatype.FP32, new Case(List.of(1f, -2.5f), "0000803f000020c0")),
            Map.entry(Datatype.FP64, new Case(List.of(1d, -2.5d), "000000000000f03f00000000000004c0")),
            Map.entry(
                    Datatype.BYTES,
                    new Case(
                            List.of("hé".getBytes(StandardCharsets.UTF_8), new byte[0]),
                            "03000000" + "68c3a9" + "00000000")));

    private record Case(List<Object> values, String hex) {}

    @Test
    void everyTypeRoundTripsThroughItsBytes() {
        assertEquals(Datatype.values().length, CASES.size());
        long[] shape = {1, 2};
        CASES.forEach((type, c) -> {
            TensorData fromValues = TensorData.ofValues("x", type, shape, c.values());
            assertEquals(c.hex(), HexFormat.of().formatHex(bytes(fromValues)), type.name());

            TensorData fromBytes = TensorData.ofBytes(
                    "x", type, shape, ByteBuffer.wrap(HexFormat.of().parseHex(c.hex())));
            List<Object> values = fromBytes.values();
            for (int i = 0; i < values.size(); i++) {
                Object expected = c.values().get(i);
                if (expected instanceof byte[] string) {
                    assertArrayEquals(string, (byte[]) values.get(i), type.name());
                } else if (expected instanceof Boolean) {
                    assertEquals(expected, values.get(i), type.name());
                } else {
                    // By value, whatever the boxes: an Integer 1 is a Long 1.
                    assertEquals(
                            0,
                            new BigDecimal(expected.toString())
                                    .compareTo(new BigDecimal(values.get(i).toString())),
                            type + ": " + expected + " is not " + values.get(i));
                }
            }
            assertArrayEquals(shape, fromBytes.shape());
        });
    }

    @Test
    void valuesOutsideTheirTypeAreRefused() {
        assertRefused(Datatype.UINT8, 256, "is not UINT8");
        assertRefused(Datatype.UINT32, -1, "is not UINT32");
        assertRefused(Datatype.UINT64, new BigInteger("18446744073709551616"), "is not UINT64");
        assertRefused(Datatype.INT8, -129, "is not INT8");
        assertRefused(Datatype.INT64, new BigInteger("9223372036854775808"), "is not INT64");
        assertRefused(Datatype.INT32, 1.5, "is not INT32");
        assertRefused(Datatype.BOOL, 1, "is not BOOL");
        assertRefused(Datatype.FP32, true, "is not FP32");
        assertRefused(Datatype.BYTES, 7, "is not BYTES");
    }

    private static void assertRefused(Datatype type, Object value, String message) {
        ServingException e = assertThrows(
                ServingException.class, () -> TensorData.ofValues("x", type, new long[] {1}, List.of(value)));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void bytesMustBeExactlyWhatTheShapeNeeds() {
        assertTrue(refusedBytes(Datatype.FP32, new long[] {2, 2}, new byte[12]).contains("needs 16"));
        assertTrue(refusedBytes(Datatype.FP32, new long[] {1}, new byte[5]).contains("needs 4"));
        // A claimed shape is checked by arithmetic alone: nothing of its size is allocated.
        assertTrue(
                refusedBytes(Datatype.FP64, new long[] {1 << 30}, new byte[8]).contains("needs 8589934592"));
        assertTrue(refusedBytes(Datatype.FP32, new long[] {1L << 40, 1L << 40}, new byte[8])
                .contains("too many elements"));
        assertTrue(refusedBytes(Datatype.INT8, new long[] {-1}, new byte[1]).contains("bad shape"));
    }

    @Test
    void stringsMustStayWithinTheirBytes() {
        byte[] claimsPastTheEnd = HexFormat.of().parseHex("ffffff7f" + "6869");
        assertTrue(
                refusedBytes(Datatype.BYTES, new long[] {1}, claimsPastTheEnd).contains("claims 2147483647"));
        byte[] negative = HexFormat.of().parseHex("ffffffff");
        assertTrue(refusedBytes(Datatype.BYTES, new long[] {1}, negative).contains("claims 4294967295"));
        byte[] one = HexFormat.of().parseHex("02000000" + "6869");
        assertTrue(refusedBytes(Datatype.BYTES, new long[] {2}, one).contains("has 1 BYTES elements"));
        assertTrue(refusedBytes(Datatype.BYTES, new long[] {1 << 30}, one).contains("has 1 BYTES elements"));
        byte[] trailing = HexFormat.of().parseHex("02000000" + "6869" + "00");
        assertTrue(refusedBytes(Datatype.BYTES, new long[] {1}, trailing).contains("1 bytes past"));
    }

    private static String refusedBytes(Datatype type, long[] shape, byte[] bytes) {
        ServingException e = assertThrows(
                ServingException.class, () -> TensorData.ofBytes("x", type, shape, ByteBuffer.wrap(bytes)));
        assertEquals(400, e.status());
        return e.getMessage();
    }

    @Test
    void aSliceOfALargerBodyIsItsOwn() {
        byte[] body = HexFormat.of().parseHex("aaaa" + "0000803f" + "bbbb");
        TensorData tensor = TensorData.ofBytes("x", Datatype.FP32, new long[] {1}, ByteBuffer.wrap(body, 2, 4));
        assertEquals(List.of(1f), tensor.values());
        assertEquals(4, tensor.byteSize());
    }

    private static byte[] bytes(TensorData tensor) {
        ByteBuffer data = tensor.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return bytes;
    }

    @Test
    void shapesOfZeroElementsNeedNoBytes() {
        TensorData empty = TensorData.ofBytes("x", Datatype.FP32, new long[] {0, 1L << 40}, ByteBuffer.allocate(0));
        assertEquals(List.of(), empty.values());
        assertEquals("[0, 1099511627776]", Arrays.toString(empty.shape()));
    }
}

package io.mocoj.local.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.model.ChatMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Real published chat templates (src/test/resources/chat-templates) rendered with jinjava; the
 * expected strings are written out by hand from the templates' documented output format.
 */
class ChatTemplateTest {
    private static final Clock MARCH_5_2025 = Clock.fixed(Instant.parse("2025-03-05T10:15:30Z"), ZoneOffset.UTC);

    private static String template(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources/chat-templates", name));
    }

    @Test
    void llama3InstructTemplate() throws IOException {
        ChatTemplate t = ChatTemplate.of(template("llama3-instruct.jinja"), "<|begin_of_text|>", "<|eot_id|>");
        List<ChatMessage> chat = List.of(ChatMessage.system("You are terse."), ChatMessage.user("  Hi there \n"),
                ChatMessage.assistant("Hello!"));
        String expected = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n";
        assertEquals(expected, t.render(chat, true));
        assertEquals(expected, ChatFormat.LLAMA3.render(chat, true));
        String withoutPrompt = expected.substring(0, expected.length() - "<|start_header_id|>assistant<|end_header_id|>\n\n".length());
        assertEquals(withoutPrompt, t.render(chat, false));
    }

    @Test
    void qwen2TemplateAddsDefaultSystemPromptOnlyWithoutSystemMessage() throws IOException {
        ChatTemplate t = ChatTemplate.of(template("qwen2-instruct.jinja"), "", "<|im_end|>");
        assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\n", t.render(List.of(ChatMessage.user("Hi")), true));
        List<ChatMessage> chat = List.of(ChatMessage.system("Be kind."), ChatMessage.user("Hi"), ChatMessage.assistant("Hey"));
        String expected = "<|im_start|>system\nBe kind.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\nHey<|im_end|>\n";
        assertEquals(expected, t.render(chat, false));
        assertEquals(expected, ChatFormat.CHATML.render(chat, false));
    }

    @Test
    void smolLm2TemplateKeepsLiteralNewlines() throws IOException {
        ChatTemplate t = ChatTemplate.of(template("smollm2-instruct.jinja"), "<|im_start|>", "<|im_end|>");
        assertEquals("<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
                + "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n", t.render(List.of(ChatMessage.user("2+2?")), true));
    }

    @Test
    void llama2ChatTemplateWithSystemMessageAndStrip() throws IOException {
        ChatTemplate t = ChatTemplate.of(template("llama2-chat.jinja"), "<s>", "</s>");
        List<ChatMessage> chat = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hello "),
                ChatMessage.assistant(" Hi!"), ChatMessage.user("Bye"));
        String expected = "<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHello [/INST] Hi! </s><s>[INST] Bye [/INST]";
        assertEquals(expected, t.render(chat, true));
        assertEquals(expected, ChatFormat.LLAMA2.render(chat, true));
    }

    @Test
    void raiseExceptionSurfacesTheTemplatesMessage() throws IOException {
        ChatTemplate t = ChatTemplate.of(template("llama2-chat.jinja"), "<s>", "</s>");
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> t.render(List.of(ChatMessage.user("a"), ChatMessage.user("b")), true));
        assertEquals("Conversation roles must alternate user/assistant/user/assistant/...", e.getMessage());
        assertThrows(ChatTemplateException.class,
                () -> ChatFormat.LLAMA2.render(List.of(ChatMessage.user("a"), ChatMessage.user("b")), true));
    }

    @Test
    void llama32TemplateUsesStrftimeNowAndSlicesOffTheSystemMessage() throws IOException {
        ChatTemplate t = ChatTemplate.of(template("llama32-instruct.jinja"), "<|begin_of_text|>", "<|eot_id|>", MARCH_5_2025);
        String header = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                + "Cutting Knowledge Date: December 2023\nToday Date: 05 Mar 2025\n\n";
        assertEquals(header + "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n", t.render(List.of(ChatMessage.user("Hi")), true));
        assertEquals(header + "Answer in French.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>",
                t.render(List.of(ChatMessage.system(" Answer in French. "), ChatMessage.user("Hi")), false));
        // date_string given by the caller wins over strftime_now
        assertTrue(t.render(List.of(ChatMessage.user("Hi")), true, Map.of("date_string", "01 Jan 2030"))
                .contains("Today Date: 01 Jan 2030\n"));
    }

    @Test
    void llama32TemplateWithToolsInTheFirstUserMessage() throws IOException {
        ChatTemplate t = ChatTemplate.of(template("llama32-instruct.jinja"), "<|begin_of_text|>", "<|eot_id|>", MARCH_5_2025);
        Map<String, Object> tool = new java.util.LinkedHashMap<>();
        tool.put("name", "get_time");
        tool.put("parameters", Map.of());
        String out = t.render(List.of(ChatMessage.user("What time is it?")), true, Map.of("tools", List.of(tool)));
        String start = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nEnvironment: ipython\n"
                + "Cutting Knowledge Date: December 2023\nToday Date: 05 Mar 2025\n\n<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nGiven the following functions, please respond with a JSON "
                + "for a function call with its proper arguments that best answers the given prompt.\n\n"
                + "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}."
                + "Do not use variables.\n\n";
        assertTrue(out.startsWith(start), out);
        // tojson(indent=4) as Python's json.dumps prints it
        assertTrue(out.contains("Do not use variables.\n\n{\n    \"name\": \"get_time\",\n    \"parameters\": {}\n}\n\n"), out);
        assertTrue(out.endsWith("\n\nWhat time is it?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"), out);
    }

    @Test
    void pythonStringMethodsAndToJson() {
        ChatTemplate t = ChatTemplate.of("{{ messages[0].content.split('</think>')[-1].lstrip('\\n') }}|"
                + "{{ messages[0].content.startswith('<think>') }}|{{ ' a b '.strip().upper() }}|{{ 'x-y-z'.replace('-', '+', 1) }}|"
                + "{{ ', '.join(['a', 'b']) }}|{{ {'k': [1, 'é\\n', none, true]} | tojson }}", "", "");
        assertEquals("answer|true|A B|x+y-z|a, b|{\"k\": [1, \"é\\n\", null, true]}",
                t.render(List.of(ChatMessage.assistant("<think>hmm</think>\n\nanswer")), false));
    }

    @Test
    void qwen3TemplateDropsOldReasoningAndHonoursEnableThinking() throws IOException {
        ChatTemplate t = ChatTemplate.of(template("qwen3.jinja"), "", "<|im_end|>");
        List<ChatMessage> chat = List.of(ChatMessage.system("S"), ChatMessage.user("Q1"),
                ChatMessage.assistant("<think>\nold thoughts\n</think>\n\nA1"), ChatMessage.user("Q2"));
        String expected = "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nQ1<|im_end|>\n"
                + "<|im_start|>assistant\nA1<|im_end|>\n<|im_start|>user\nQ2<|im_end|>\n<|im_start|>assistant\n";
        assertEquals(expected, t.render(chat, true));
        assertEquals(expected + "<think>\n\n</think>\n\n", t.render(chat, true, Map.of("enable_thinking", false)));
        // an assistant turn after the last user query keeps its reasoning
        List<ChatMessage> answered = List.of(ChatMessage.user("Q"), ChatMessage.assistant("<think>r</think>A"));
        assertEquals("<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n<think>\nr\n</think>\n\nA<|im_end|>\n",
                t.render(answered, false));
    }

    @Test
    void strftimeDirectives() {
        var time = java.time.ZonedDateTime.parse("2024-07-26T09:05:03Z");
        assertEquals("26 Jul 2024", Strftime.format("%d %b %Y", time));
        assertEquals("Friday, July 26 2024 09:05:03 AM 208 %", Strftime.format("%A, %B %d %Y %H:%M:%S %p %j %%", time));
    }

    @Test
    void blankTemplateIsRejected() {
        assertThrows(ChatTemplateException.class, () -> ChatTemplate.of("  ", "", ""));
    }

    @Test
    void brokenTemplateReportsJinjavaError() {
        ChatTemplate t = ChatTemplate.of("{% for m in messages %}{{ m.content }", "", "");
        assertThrows(ChatTemplateException.class, () -> t.render(List.of(ChatMessage.user("x")), false));
    }
}

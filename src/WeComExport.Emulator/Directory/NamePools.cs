namespace WeComExport.Emulator.Directory
{
    /// <summary>Word lists the synthetic directory draws from: common Chinese surnames and given names with their pinyin, English names, titles, places.</summary>
    internal static class NamePools
    {
        public static readonly (string Hanzi, string Pinyin)[] Surnames =
        {
            ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"), ("黄", "Huang"),
            ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"), ("马", "Ma"), ("朱", "Zhu"),
            ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("高", "Gao"), ("林", "Lin"), ("罗", "Luo"), ("郑", "Zheng"),
            ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"), ("唐", "Tang"), ("韩", "Han"), ("冯", "Feng"), ("邓", "Deng"),
            ("曹", "Cao"), ("彭", "Peng"), ("曾", "Zeng"), ("肖", "Xiao"), ("田", "Tian"), ("董", "Dong"), ("袁", "Yuan"),
            ("潘", "Pan"), ("蒋", "Jiang"), ("蔡", "Cai"), ("杜", "Du"), ("叶", "Ye"), ("程", "Cheng"), ("苏", "Su"),
            ("魏", "Wei"), ("吕", "Lv"), ("丁", "Ding"), ("任", "Ren"), ("沈", "Shen"), ("欧阳", "Ouyang"), ("司马", "Sima"),
        };

        public static readonly (string Hanzi, string Pinyin)[] GivenNames =
        {
            ("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("秀英", "Xiuying"), ("敏", "Min"), ("静", "Jing"), ("丽", "Li"),
            ("强", "Qiang"), ("磊", "Lei"), ("军", "Jun"), ("洋", "Yang"), ("勇", "Yong"), ("艳", "Yan"), ("杰", "Jie"),
            ("娟", "Juan"), ("涛", "Tao"), ("明", "Ming"), ("超", "Chao"), ("秀兰", "Xiulan"), ("霞", "Xia"), ("平", "Ping"),
            ("刚", "Gang"), ("桂英", "Guiying"), ("子涵", "Zihan"), ("浩然", "Haoran"), ("欣怡", "Xinyi"), ("梓萱", "Zixuan"),
            ("宇轩", "Yuxuan"), ("思远", "Siyuan"), ("雨桐", "Yutong"), ("一鸣", "Yiming"), ("嘉怡", "Jiayi"), ("建国", "Jianguo"),
        };

        public static readonly string[] EnglishGivenNames =
        {
            "James", "Mary", "Emily", "Michael", "Olivia", "Daniel", "Sophia", "David", "Grace", "Kevin", "Linda",
            "Jason", "Chloe", "Ryan", "Anna", "Eric", "Zoë", "Renée", "O'Neil",
        };

        public static readonly string[] Positions =
        {
            "后台工程师", "前端工程师", "产品经理", "销售代表", "人力资源专员", "财务主管", "运营专员", "设计师",
            "测试工程师", "客服专员", "法务顾问", "行政助理", "技术总监", "Software Engineer", "Account Manager",
        };

        public static readonly string[] DepartmentNames =
        {
            "研发中心", "产品部", "市场部", "销售部", "人力资源部", "财务部", "法务部", "行政部", "客户成功部",
            "运营部", "设计部", "质量保障部", "数据平台组", "基础架构组", "海外事业部", "采购部",
        };

        public static readonly string[] DepartmentNamesEn =
        {
            "R&D", "Product", "Marketing", "Sales", "HR", "Finance", "Legal", "Admin", "Customer Success",
            "Operations", "Design", "QA", "Data Platform", "Infrastructure", "Overseas", "Procurement",
        };

        public static readonly string[] Cities =
        {
            "广州", "深圳", "上海", "北京", "成都", "杭州", "武汉", "南京", "西安", "香港",
        };

        public static readonly string[] Streets =
        {
            "广东省广州市海珠区新港中路", "广东省深圳市南山区科技园科苑路", "上海市浦东新区世纪大道", "北京市海淀区中关村大街",
            "四川省成都市高新区天府大道", "浙江省杭州市西湖区文三路",
        };

        /// <summary>Strings that break naive parsers: quotes, backslashes, emoji (a surrogate pair), tabs, newlines and C0 controls.</summary>
        public const string Stress = "高级\"工程师\" \\C:\\temp\\ 🚀 tab\there\nline2 \u0001\u001f end";
    }
}
